import type { Server } from "node:http";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

/**
 * A real OpenID provider (`oidc-provider`) in the test process, for SSO specs: one
 * confidential client with PKCE required, the provider's development login form (type
 * a user's `sub`, e.g. `u-owner`, and any password), and test users whose `groups` claim maps them
 * to console roles. Not wired into playwright.config.ts yet: the SSO specs start it in
 * their globalSetup and point the console's OIDC_* variables at it.
 */

export interface IdpUser {
  sub: string;
  email: string;
  name: string;
  groups: string[];
}

/** One user per built-in role, plus one whose groups map to nothing. */
export const idpUsers = {
  owner: { sub: "u-owner", email: "olivia.owner@example.test", name: "Olivia Owner", groups: ["portcullis-owners"] },
  admin: { sub: "u-admin", email: "adam.admin@example.test", name: "Adam Admin", groups: ["portcullis-admins"] },
  security: { sub: "u-security", email: "sam.security@example.test", name: "Sam Security", groups: ["portcullis-security"] },
  finance: { sub: "u-finance", email: "fiona.finance@example.test", name: "Fiona Finance", groups: ["portcullis-finance"] },
  developer: {
    sub: "u-developer",
    email: "dev.developer@example.test",
    name: "Dev Developer",
    groups: ["team-payments-developers", "engineering"],
  },
  viewer: { sub: "u-viewer", email: "vera.viewer@example.test", name: "Vera Viewer", groups: ["portcullis-viewers"] },
  outsider: { sub: "u-outsider", email: "oscar.outsider@example.test", name: "Oscar Outsider", groups: ["marketing"] },
} as const satisfies Record<string, IdpUser>;

export interface StartIdpOptions {
  /** Default 4400: clear of the console (3100) and gateway (4100) of the e2e run. */
  port?: number;
  /** Must be the host the browser uses for the console too (localhost vs 127.0.0.1 breaks cookies). */
  host?: string;
  clientId?: string;
  clientSecret?: string;
  /** The console's callback, e.g. http://localhost:3100/api/auth/callback/oidc. */
  redirectUris: string[];
  users?: readonly IdpUser[];
}

export interface TestIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  close(): Promise<void>;
}

/** The part of oidc-provider's API used here (its types are not installed at the repo root). */
interface OidcProviderInstance {
  listen(port: number, host: string | undefined, callback: () => void): Server;
}
type OidcProviderClass = new (issuer: string, configuration: Record<string, unknown>) => OidcProviderInstance;

/**
 * oidc-provider is a devDependency of the console, not of the repo root: resolve it from
 * there so that e2e/ needs no package of its own.
 */
async function loadOidcProvider(): Promise<OidcProviderClass> {
  const fromConsole = createRequire(new URL("../../apps/console/package.json", import.meta.url));
  const entry = fromConsole.resolve("oidc-provider");
  const mod = (await import(pathToFileURL(entry).href)) as { default: OidcProviderClass };
  return mod.default;
}

export async function startTestIdp(opts: StartIdpOptions): Promise<TestIdp> {
  const port = opts.port ?? 4400;
  const host = opts.host ?? "localhost";
  const clientId = opts.clientId ?? "portcullis-console";
  const clientSecret = opts.clientSecret ?? "e2e-only-client-secret";
  const users = opts.users ?? Object.values(idpUsers);
  const issuer = `http://${host}:${port}`;

  const Provider = await loadOidcProvider();
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: opts.redirectUris,
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    pkce: { required: () => true },
    // groups ride on the openid scope so they arrive whatever scopes a preset asks for.
    claims: { openid: ["sub", "groups"], email: ["email", "email_verified"], profile: ["name"] },
    // Without this the ID token carries only `sub`, and the console would see no e-mail or groups.
    conformIdTokenClaims: false,
    // The login form's value becomes the account id, which must equal the `sub` claim: look up by sub only.
    async findAccount(_ctx: unknown, id: string) {
      const user = users.find((u) => u.sub === id);
      if (!user) return undefined;
      return {
        accountId: user.sub,
        async claims() {
          return { sub: user.sub, email: user.email, email_verified: true, name: user.name, groups: [...user.groups] };
        },
      };
    },
    features: { devInteractions: { enabled: true } },
    // Explicit lifetimes (seconds) also keep oidc-provider from printing a notice per artifact.
    ttl: { Session: 3600, Grant: 3600, Interaction: 600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    cookies: { keys: ["e2e-only-idp-cookie-key"] },
  });

  const server = await new Promise<Server>((resolve, reject) => {
    // For localhost listen on every interface: the browser and Node may resolve it to ::1 or 127.0.0.1.
    const s = provider.listen(port, host === "localhost" ? undefined : host, () => resolve(s));
    s.once("error", reject);
  });
  return {
    issuer,
    clientId,
    clientSecret,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

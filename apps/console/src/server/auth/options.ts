import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import type { OAuthConfig } from "next-auth/providers/oauth";
import { getEnv } from "../env";
import { oidcInputFrom } from "../env-schema";
import type { RequestMeta } from "../request-meta";
import { getPrisma } from "../services";
import { redeemBootstrapToken } from "./bootstrap-login";
import { closeConsoleSession } from "./console-sessions";
import { sessionCookie } from "./cookies";
import { extractGroups } from "./groups";
import { completeOidcLogin } from "./oidc-login";
import { resolveOidcConfig, type OidcConfig } from "./oidc-presets";

/** The SSO configuration in force, or null when only the first-admin link can sign in. */
export function currentOidcConfig(): OidcConfig | null {
  const config = resolveOidcConfig(oidcInputFrom(getEnv()));
  // getEnv() already rejected an incomplete configuration; this narrows the type.
  return config && !("error" in config) ? config : null;
}

type OidcClaims = Record<string, unknown> & { sub: string; name?: string; email?: string };

function oidcProvider(config: OidcConfig): OAuthConfig<OidcClaims> {
  return {
    id: "oidc",
    name: config.displayName,
    type: "oauth",
    wellKnown: config.wellKnown,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    authorization: { params: { scope: config.scopes } },
    idToken: true,
    checks: ["pkce", "state"],
    profile(claims) {
      return { id: claims.sub, name: claims.name ?? null, email: claims.email ?? null };
    },
  };
}

function firstString(claims: Record<string, unknown>, names: readonly string[]): string | undefined {
  for (const name of names) {
    const v = claims[name];
    if (typeof v === "string" && v.includes("@")) return v;
  }
  return undefined;
}

/** Why an SSO sign-in was refused, as the error code the sign-in page explains. */
const signInErrors = { user_disabled: "AccountDisabled", identity_conflict: "IdentityConflict", no_access: "NoAccess" } as const;

/** next-auth options for one request (the request's ip and user agent go on sessions and audit events). */
export function buildAuthOptions(meta: RequestMeta): NextAuthOptions {
  const env = getEnv();
  const oidc = currentOidcConfig();
  const cookie = sessionCookie(env.NEXTAUTH_URL);
  const signInUrl = (error: string) => `${env.NEXTAUTH_URL}/signin?error=${encodeURIComponent(error)}`;

  const bootstrap = CredentialsProvider({
    id: "bootstrap",
    name: "First-admin link",
    credentials: { token: { label: "One-time token", type: "password" } },
    async authorize(credentials) {
      const token = credentials?.token;
      if (typeof token !== "string" || token.length < 16 || token.length > 512) return null;
      const result = await redeemBootstrapToken(getPrisma(), token, {
        adminEmail: env.BOOTSTRAP_ADMIN_EMAIL,
        ttlSeconds: env.CONSOLE_SESSION_TTL_SECONDS,
        meta,
      });
      if (!result.ok) {
        if (result.reason === "admin_disabled") throw new Error("AdminDisabled");
        return null;
      }
      return { ...result.user, sid: result.sessionId };
    },
  });

  return {
    secret: env.NEXTAUTH_SECRET,
    providers: oidc ? [oidcProvider(oidc), bootstrap] : [bootstrap],
    session: { strategy: "jwt", maxAge: env.CONSOLE_SESSION_TTL_SECONDS },
    jwt: { maxAge: env.CONSOLE_SESSION_TTL_SECONDS },
    useSecureCookies: cookie.secure,
    cookies: { sessionToken: { name: cookie.name, options: cookie.options } },
    pages: { signIn: "/signin", error: "/signin", signOut: "/signin" },
    callbacks: {
      async signIn({ user, account, profile }) {
        if (account?.provider !== "oidc" || !oidc) return true; // the credentials provider did its work in authorize()
        const claims = (profile ?? {}) as Record<string, unknown>;
        const email = firstString(claims, oidc.emailClaims);
        if (!email || typeof claims.sub !== "string") return signInUrl("EmailMissing");
        const result = await completeOidcLogin(
          getPrisma(),
          {
            subject: claims.sub,
            email,
            emailVerified: typeof claims.email_verified === "boolean" ? claims.email_verified : undefined,
            name: typeof claims.name === "string" ? claims.name : null,
            groups: extractGroups(claims, oidc.groupsClaim),
          },
          { ttlSeconds: env.CONSOLE_SESSION_TTL_SECONDS, meta },
        );
        if (!result.ok) return signInUrl(signInErrors[result.reason]);
        // Without an adapter next-auth hands this same object to the jwt callback: carry our ids through it.
        Object.assign(user, { id: result.user.id, email: result.user.email, name: result.user.name, sid: result.sessionId });
        return true;
      },
      async jwt({ token, user }) {
        if (user) {
          token.sub = user.id;
          token.sid = user.sid;
        }
        return token;
      },
      async session({ session, token }) {
        return { ...session, user: { id: token.sub, name: token.name, email: token.email } };
      },
    },
    events: {
      async signOut({ token }) {
        if (typeof token?.sid === "string") await closeConsoleSession(getPrisma(), token.sid, meta);
      },
    },
    logger: {
      error(code, metadata) {
        // next-auth's default logger prints whole error objects; keep logs free of tokens.
        console.error(`[auth] ${code}`, metadata instanceof Error ? metadata.message : "");
      },
      warn(code) {
        console.warn(`[auth] ${code}`);
      },
      debug() {},
    },
  };
}

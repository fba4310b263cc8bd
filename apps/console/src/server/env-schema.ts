import { z } from "zod";
import { oidcPresetNames, resolveOidcConfig, type OidcInput, type OidcPresetName } from "./auth/oidc-presets";

/** What the console reads from its environment; see the README's configuration table. */
const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

export const envSchema = z
  .object({
    DATABASE_URL: z.string().trim().min(1, "DATABASE_URL is required (a PostgreSQL connection string)"),
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
    REDIS_URL: optionalString,
    NEXTAUTH_URL: z.url("NEXTAUTH_URL must be the console's public URL, e.g. https://console.example.com"),
    NEXTAUTH_SECRET: z
      .string({ error: "NEXTAUTH_SECRET is required (32+ random characters, e.g. `openssl rand -base64 32`)" })
      .min(32, "NEXTAUTH_SECRET must be at least 32 characters"),
    CONSOLE_SESSION_TTL_SECONDS: z.coerce.number().int().min(300).max(2_592_000).default(43_200),
    OIDC_PRESET: z.enum(oidcPresetNames).default("generic"),
    OIDC_ISSUER: optionalString,
    OIDC_TENANT_ID: optionalString,
    OIDC_CLIENT_ID: optionalString,
    OIDC_CLIENT_SECRET: optionalString,
    OIDC_GROUPS_CLAIM: optionalString,
    OIDC_SCOPES: optionalString,
    OIDC_DISPLAY_NAME: optionalString,
    BOOTSTRAP_ADMIN_EMAIL: z.email().default("admin@portcullis.local"),
    /** HMAC pepper of virtual keys and admin API tokens; shared with the gateways. */
    PORTCULLIS_KEY_PEPPER: z
      .string({ error: "PORTCULLIS_KEY_PEPPER is required (the pepper the gateways hash virtual keys with)" })
      .min(32, "PORTCULLIS_KEY_PEPPER must be at least 32 characters"),
    /** AES-256-GCM key (32 bytes, base64) for provider credentials stored encrypted; without it only references can be saved. */
    PORTCULLIS_ENCRYPTION_KEY: optionalString,
    /** Ed25519 key that signs published configuration snapshots; without it gateways compile changes themselves after a grace period. */
    PORTCULLIS_CONFIG_SIGNING_KEY: optionalString,
    /** Prefix of the configuration channel and keys on Redis (must match the gateways'). */
    PORTCULLIS_NAMESPACE: z.string().trim().regex(/^[a-z0-9][a-z0-9_-]*$/, "PORTCULLIS_NAMESPACE: lower-case letters, digits, _ and - only").default("portcullis"),
    /** Where the console tells users to send requests (shown on the keys page; used by "test connection"). */
    PORTCULLIS_GATEWAY_URL: optionalString,
  })
  .superRefine((env, ctx) => {
    const oidc = [env.OIDC_CLIENT_ID, env.OIDC_CLIENT_SECRET];
    if (oidc.some(Boolean) && !oidc.every(Boolean)) {
      ctx.addIssue({ code: "custom", path: ["OIDC_CLIENT_SECRET"], message: "set both OIDC_CLIENT_ID and OIDC_CLIENT_SECRET, or neither" });
    }
    const oidcConfig = resolveOidcConfig(oidcInputFrom(env));
    if (oidcConfig && "error" in oidcConfig) ctx.addIssue({ code: "custom", path: ["OIDC_ISSUER"], message: oidcConfig.error });
  });

export type ConsoleEnv = z.infer<typeof envSchema>;

type OidcEnv = { OIDC_PRESET: OidcPresetName } & Partial<
  Record<"OIDC_ISSUER" | "OIDC_TENANT_ID" | "OIDC_CLIENT_ID" | "OIDC_CLIENT_SECRET" | "OIDC_GROUPS_CLAIM" | "OIDC_SCOPES" | "OIDC_DISPLAY_NAME", string | undefined>
>;

export function oidcInputFrom(env: OidcEnv): OidcInput {
  return {
    preset: env.OIDC_PRESET,
    issuer: env.OIDC_ISSUER,
    tenantId: env.OIDC_TENANT_ID,
    clientId: env.OIDC_CLIENT_ID,
    clientSecret: env.OIDC_CLIENT_SECRET,
    groupsClaim: env.OIDC_GROUPS_CLAIM,
    scopes: env.OIDC_SCOPES,
    displayName: env.OIDC_DISPLAY_NAME,
  };
}

export class EnvError extends Error {
  override name = "EnvError";
}

/** Parses an environment; throws an EnvError listing every problem at once. */
export function parseEnv(source: Record<string, string | undefined>): ConsoleEnv {
  const result = envSchema.safeParse(source);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `  - ${i.path.join(".") || "env"}: ${i.message}`).join("\n");
  throw new EnvError(`The console cannot start: invalid configuration.\n${problems}`);
}

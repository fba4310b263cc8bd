import { z } from "zod";

const port = z.coerce.number().int().min(0).max(65535);

/** Every environment variable the CLI and the embedded launcher read, parsed once. */
export const cliEnvSchema = z.object({
  DATABASE_URL: z.string().min(1).optional(),
  REDIS_URL: z.string().url().optional(),
  PORTCULLIS_DATA_DIR: z.string().default(".data"),
  CONSOLE_PORT: port.default(3000),
  GATEWAY_PORT: port.default(4000),
  WORKER_PORT: port.default(4001),
  PORTCULLIS_HOST: z.string().default("localhost"),
  CONSOLE_URL: z.string().url().optional(),
  PORTCULLIS_KEY_PEPPER: z.string().min(32, "PORTCULLIS_KEY_PEPPER must be at least 32 characters").optional(),
  PORTCULLIS_ENCRYPTION_KEY: z.string().optional(),
  NEXTAUTH_SECRET: z.string().min(32, "NEXTAUTH_SECRET must be at least 32 characters").optional(),
  /** Ed25519 private key that signs configuration snapshots: PKCS#8 PEM or base64 DER. */
  PORTCULLIS_CONFIG_SIGNING_KEY: z.string().min(1).optional(),
  /** Public key(s) gateways trust for configuration snapshots: SPKI PEM blocks or base64 DER, comma-separated. */
  PORTCULLIS_CONFIG_PUBLIC_KEY: z.string().min(1).optional(),
  /** Request/response bodies in request logs (the embedded gateway): off, on, or per_key (metadata `log_bodies: true`). */
  REQUEST_BODY_LOGGING: z.enum(["off", "on", "per_key"]).default("off"),
  /** Cap per logged body, in bytes (redacted first). */
  REQUEST_BODY_MAX_BYTES: z.coerce.number().int().min(256).max(1024 * 1024).default(32 * 1024),
  /** Prefix of the configuration channel and keys on Redis (must match the gateways'). */
  PORTCULLIS_NAMESPACE: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, "lower-case letters, digits, _ and - only").default("portcullis"),
  /** Ed25519 PKCS#8 key (PEM or base64 DER) for audit checkpoints; embedded mode keeps one in the data dir. */
  PORTCULLIS_AUDIT_SIGNING_KEY: z.string().min(1).optional(),
  /** Console base URL of a running install: with PORTCULLIS_API_TOKEN, `keys`, `status`, `apply` and `export` use its management API. */
  PORTCULLIS_URL: z.string().min(1).optional(),
  /** Admin API token (`pca_…`) of a service account, for PORTCULLIS_URL. */
  PORTCULLIS_API_TOKEN: z.string().min(1).optional(),
});
export type CliEnv = z.infer<typeof cliEnvSchema>;

export function readCliEnv(source: NodeJS.ProcessEnv = process.env): CliEnv {
  const parsed = cliEnvSchema.safeParse(source);
  if (!parsed.success) {
    throw new Error(`invalid environment: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  return parsed.data;
}

export function consoleUrl(env: CliEnv): string {
  return (env.CONSOLE_URL ?? `http://${env.PORTCULLIS_HOST}:${env.CONSOLE_PORT}`).replace(/\/$/, "");
}

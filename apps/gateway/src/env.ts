import { z } from "zod";

/** The gateway's environment, parsed once at boot; the only reader of process.env in this app. */
export const gatewayEnvSchema = z.object({
  GATEWAY_PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  GATEWAY_HOST: z.string().default("0.0.0.0"),
  NODE_NAME: z.string().optional(),
  REDIS_URL: z.string().url().optional(),
  DATABASE_URL: z.string().optional(),
  PORTCULLIS_DATA_DIR: z.string().default(".data"),
  PORTCULLIS_KEY_PEPPER: z.string().min(32, "PORTCULLIS_KEY_PEPPER must be at least 32 characters"),
  PORTCULLIS_ENCRYPTION_KEY: z.string().optional(),
  MAX_BODY_BYTES: z.coerce.number().int().positive().default(10 * 1024 * 1024),
  UPSTREAM_TIMEOUT_MS: z.coerce.number().int().positive().default(120_000),
  /** Where request logs and decisions go: the Redis stream the worker drains (default with REDIS_URL) or stdout. */
  EVENTS_SINK: z.enum(["redis", "stdout"]).optional(),
  /**
   * Request and response bodies in the request log: off (default), on for every key, or per_key
   * (keys whose metadata has `log_bodies: true`). Stored redacted (credentials) and capped.
   */
  REQUEST_BODY_LOGGING: z.enum(["off", "on", "per_key"]).default("off"),
  /** Cap per logged body, in bytes of stored JSON; a longer body keeps its start and a truncation marker. */
  REQUEST_BODY_MAX_BYTES: z.coerce.number().int().min(256).max(1024 * 1024).default(32 * 1024),
  /** Bearer token for the gateway's /admin endpoints (circuit state); unset = local requests only. */
  GATEWAY_ADMIN_TOKEN: z.string().min(16).optional(),
  /**
   * The Ed25519 public key(s) configuration snapshots must be signed with (PEM, or base64
   * SPKI DER; several during a rotation). Whoever can write to Redis cannot configure a
   * gateway without the private half, which only the console and the CLI hold.
   */
  PORTCULLIS_CONFIG_PUBLIC_KEY: z.string({ error: "PORTCULLIS_CONFIG_PUBLIC_KEY is required: the public half of PORTCULLIS_CONFIG_SIGNING_KEY (`openssl pkey -pubout` of it)" }).min(1, "PORTCULLIS_CONFIG_PUBLIC_KEY is empty"),
  /** Prefix of the configuration channel and keys on Redis: two installs sharing one Redis need different ones. */
  PORTCULLIS_NAMESPACE: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, "PORTCULLIS_NAMESPACE: lower-case letters, digits, _ and - only").default("portcullis"),
  /** How often the gateway checks the newest version on Redis and PostgreSQL (catch-up, and Redis-down polling). */
  CONFIG_POLL_INTERVAL_MS: z.coerce.number().int().positive().default(2_000),
  /** How often the gateway reports its version and circuit breakers for the fleet status (TTL three times that). */
  FLEET_REPORT_INTERVAL_MS: z.coerce.number().int().positive().default(5_000),
  /** What to do when Redis (the shared counters) is unreachable: refuse (closed) or count locally (open). */
  COUNTERS_FAILURE_MODE: z.enum(["closed", "open"]).default("closed"),
  /** How long one counters round trip may take before Redis counts as unreachable. */
  COUNTERS_TIMEOUT_MS: z.coerce.number().int().positive().default(1_000),
});

export type GatewayEnv = z.infer<typeof gatewayEnvSchema>;

export function readGatewayEnv(source: NodeJS.ProcessEnv = process.env): GatewayEnv {
  const parsed = gatewayEnvSchema.safeParse(source);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`invalid gateway environment: ${issues}`);
  }
  return parsed.data;
}

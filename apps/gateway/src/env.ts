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
  /** Bearer token for the gateway's /admin endpoints (circuit state); unset = local requests only. */
  GATEWAY_ADMIN_TOKEN: z.string().min(16).optional(),
  CONFIG_POLL_INTERVAL_MS: z.coerce.number().int().positive().default(2_000),
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

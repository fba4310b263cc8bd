import { z } from "zod";

/** The worker's environment, parsed once at boot. */
export const workerEnvSchema = z.object({
  WORKER_PORT: z.coerce.number().int().min(0).max(65535).default(4001),
  WORKER_HOST: z.string().default("0.0.0.0"),
  DATABASE_URL: z.string().min(1, "DATABASE_URL is required for a standalone worker"),
  REDIS_URL: z.string().url().optional(),
  /** Ed25519 PKCS#8 key (PEM or base64 DER) signing audit checkpoints; shared with the CLI. */
  PORTCULLIS_AUDIT_SIGNING_KEY: z.string().min(1).optional(),
  /** Decrypts `encrypted:` secret references in export sink configs. */
  PORTCULLIS_ENCRYPTION_KEY: z.string().min(1).optional(),
});
export type WorkerEnv = z.infer<typeof workerEnvSchema>;

export function readWorkerEnv(source: NodeJS.ProcessEnv = process.env): WorkerEnv {
  const parsed = workerEnvSchema.safeParse(source);
  if (!parsed.success) {
    throw new Error(`invalid worker environment: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  return parsed.data;
}

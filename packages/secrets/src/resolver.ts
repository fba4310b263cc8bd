import { readFile } from "node:fs/promises";
import { decryptSecret } from "./envelope";

/**
 * Resolves credential references at run time with a TTL cache, so a rotated secret
 * is picked up without a restart. Error messages name the reference, never a value.
 */
export interface SecretResolver {
  resolve(ref: string): Promise<string>;
  /** Forget a cached value (e.g. after the upstream rejected it). */
  invalidate(ref: string): void;
}

export interface SecretResolverOptions {
  env?: NodeJS.ProcessEnv;
  encryptionKey?: string;
  ttlMs?: number;
  now?: () => number;
}

export class SecretResolutionError extends Error {
  constructor(readonly ref: string, reason: string) {
    super(`cannot resolve secret ${ref}: ${reason}`);
    this.name = "SecretResolutionError";
  }
}

const schemes = ["env", "file", "vault", "aws-sm", "gcp-sm", "azure-kv"] as const;

export function createSecretResolver(opts: SecretResolverOptions = {}): SecretResolver {
  const env = opts.env ?? process.env;
  const ttl = opts.ttlMs ?? 60_000;
  const now = opts.now ?? Date.now;
  const cache = new Map<string, { value: string; expiresAt: number }>();

  const load = async (ref: string): Promise<string> => {
    if (ref === "none://") return "";
    if (ref.startsWith("encrypted:")) {
      if (!opts.encryptionKey) throw new SecretResolutionError("encrypted value", "PORTCULLIS_ENCRYPTION_KEY is not set");
      try {
        return decryptSecret(opts.encryptionKey, ref.slice("encrypted:".length));
      } catch (e) {
        throw new SecretResolutionError("encrypted value", (e as Error).message);
      }
    }
    const m = /^([a-z-]+):\/\/(.+)$/.exec(ref);
    if (!m || !schemes.includes(m[1] as (typeof schemes)[number])) throw new SecretResolutionError(ref, "unknown reference scheme");
    const [, scheme, rest] = m as unknown as [string, string, string];
    if (scheme === "env") {
      const value = env[rest];
      if (value === undefined || value === "") throw new SecretResolutionError(ref, `environment variable ${rest} is not set`);
      return value;
    }
    if (scheme === "file") {
      try {
        return (await readFile(rest, "utf8")).trim();
      } catch (e) {
        throw new SecretResolutionError(ref, (e as NodeJS.ErrnoException).code ?? "unreadable");
      }
    }
    throw new SecretResolutionError(ref, `the ${scheme}:// store is not configured on this gateway`);
  };

  return {
    async resolve(ref) {
      const hit = cache.get(ref);
      if (hit && hit.expiresAt > now()) return hit.value;
      const value = await load(ref);
      cache.set(ref, { value, expiresAt: now() + ttl });
      return value;
    },
    invalidate(ref) {
      cache.delete(ref);
    },
  };
}

import "server-only";
import { parseEnv, type ConsoleEnv } from "./env-schema";

/**
 * The console's only reader of `process.env`. Parsed once, on first use rather than at
 * import (so `next build` can load modules without secrets), and failing closed.
 */
let cached: ConsoleEnv | undefined;

export function getEnv(): ConsoleEnv {
  cached ??= parseEnv(process.env);
  return cached;
}

export type { ConsoleEnv };

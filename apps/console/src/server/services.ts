import "server-only";
import { createRedisBus, type Bus } from "@portcullis/config-sync";
import { createPrisma, type PrismaClient } from "@portcullis/db";
import { getEnv } from "./env";

/**
 * Runtime services, built once per process. They live on globalThis so that a hot
 * reload (and the several module graphs Next keeps for route handlers and pages)
 * shares one connection pool instead of opening a new one each time.
 */
declare global {
  /** Set by the embedded launcher (`portcullis start`), which runs this console in-process. */
  var __portcullisEmbedded: { bus: Bus } | undefined;
  var __portcullisConsolePrisma: PrismaClient | undefined;
  var __portcullisConsoleRedisBus: Bus | undefined;
}

export function getPrisma(): PrismaClient {
  if (!globalThis.__portcullisConsolePrisma) {
    const env = getEnv();
    globalThis.__portcullisConsolePrisma = createPrisma(env.DATABASE_URL, { max: env.DATABASE_POOL_MAX });
  }
  return globalThis.__portcullisConsolePrisma;
}

export type BusMode = "embedded" | "redis" | "none";

export function busMode(): BusMode {
  if (globalThis.__portcullisEmbedded?.bus) return "embedded";
  return getEnv().REDIS_URL ? "redis" : "none";
}

export class BusUnavailableError extends Error {
  override name = "BusUnavailableError";
}

/** The config bus: the launcher's in-process bus when embedded, otherwise Redis. */
export function getBus(): Bus {
  const embedded = globalThis.__portcullisEmbedded?.bus;
  if (embedded) return embedded;
  const url = getEnv().REDIS_URL;
  if (!url) {
    throw new BusUnavailableError(
      "No config bus: set REDIS_URL, or run the console through `portcullis start` (embedded mode).",
    );
  }
  globalThis.__portcullisConsoleRedisBus ??= createRedisBus(url);
  return globalThis.__portcullisConsoleRedisBus;
}

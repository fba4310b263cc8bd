import type { ConfigSnapshot } from "@portcullis/core";
import { readConfigVersion, type PrismaClient } from "@portcullis/db";
import { compileSnapshot } from "./compile";
import type { ConfigHolder } from "./holder";

export interface DbPollerOptions {
  prisma: PrismaClient;
  holder: ConfigHolder<ConfigSnapshot>;
  intervalMs: number;
  /** Called with each newly loaded snapshot (e.g. to keep the disk copy). */
  onLoad?: (snapshot: ConfigSnapshot) => void;
  onError?: (error: unknown) => void;
}

export interface DbPoller {
  /** Loads now if the database has a newer version; resolves when done. */
  refresh(): Promise<boolean>;
  lastError(): unknown;
  stop(): void;
}

/**
 * Keeps the holder at the database's configuration version by polling
 * `config_state.version` (one indexed single-row read) and compiling only on change.
 * The delivery path when there is no Redis; never on the request path.
 */
export function startDbConfigPoller(opts: DbPollerOptions): DbPoller {
  let running: Promise<boolean> | undefined;
  let error: unknown;
  const refresh = () => {
    running ??= (async () => {
      try {
        const version = await readConfigVersion(opts.prisma);
        const current = opts.holder.current();
        if (current && BigInt(current.version) >= version) return false;
        const snapshot = await compileSnapshot(opts.prisma);
        opts.holder.swap(snapshot);
        opts.onLoad?.(snapshot);
        error = undefined;
        return true;
      } catch (e) {
        error = e;
        opts.onError?.(e);
        return false;
      } finally {
        running = undefined;
      }
    })();
    return running;
  };
  const timer = setInterval(() => void refresh(), opts.intervalMs);
  timer.unref();
  return { refresh, lastError: () => error, stop: () => clearInterval(timer) };
}

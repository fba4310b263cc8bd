import { writeSignedCache } from "./signed-cache";
import type { SignedSnapshot } from "./signing";

/** A signed snapshot, or how to make one when its turn comes (serializing 100k keys takes a while). */
export type DiskEntry = SignedSnapshot | (() => Promise<SignedSnapshot>);

export interface DiskWriter {
  /** Queues the newest snapshot; an older one still waiting is dropped (only the last matters). */
  write(s: DiskEntry): void;
  /** Resolves when nothing is waiting. */
  flush(): Promise<void>;
}

/** Keeps the disk copy current off the apply path: a 100k-key snapshot takes a while to write. */
export function createDiskWriter(dataDir: string, onError: (e: unknown) => void): DiskWriter {
  let pending: DiskEntry | undefined;
  let running: Promise<void> | undefined;
  const drain = async () => {
    while (pending) {
      const next = pending;
      pending = undefined;
      try {
        await writeSignedCache(dataDir, typeof next === "function" ? await next() : next);
      } catch (e) {
        onError(e);
      }
    }
    running = undefined;
  };
  return {
    write(s) {
      pending = s;
      running ??= drain();
    },
    flush: async () => {
      while (running) await running;
    },
  };
}

import { writeSignedCache } from "./signed-cache";
import type { SignedSnapshot } from "./signing";

export interface DiskWriter {
  /** Queues the newest snapshot; an older one still waiting is dropped (only the last matters). */
  write(s: SignedSnapshot): void;
  /** Resolves when nothing is waiting. */
  flush(): Promise<void>;
}

/** Keeps the disk copy current off the apply path: a 100k-key snapshot takes a while to write. */
export function createDiskWriter(dataDir: string, onError: (e: unknown) => void): DiskWriter {
  let pending: SignedSnapshot | undefined;
  let running: Promise<void> | undefined;
  const drain = async () => {
    while (pending) {
      const next = pending;
      pending = undefined;
      try {
        await writeSignedCache(dataDir, next);
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

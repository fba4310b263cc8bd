import { mkdir, open, readdir, readFile, rm, stat, type FileHandle } from "node:fs/promises";
import { join } from "node:path";

/**
 * Local append-only spool: JSONL segments `spool-<n>.jsonl` in one directory, written only by
 * one process (give each gateway node its own directory).
 *
 * Durability: every append() is one write() of the whole batch followed by fdatasync(), i.e.
 * group commit per flush (at most one flush interval of events). Once append() resolves the
 * batch survives a crash of the process or the machine. A torn last line after a crash is
 * skipped on replay (counted in `corruptLines`).
 *
 * Appends are serialized through one promise chain so segments never interleave batches.
 */
export interface Spool {
  append(lines: readonly string[]): Promise<void>;
  /** Closes the active segment so it can be replayed; later appends start a new one. */
  rotate(): Promise<void>;
  /** Names of closed segments, oldest first. */
  closedSegments(): string[];
  /** Whether the active segment holds data or an append is in flight. */
  hasPendingWrites(): boolean;
  read(segment: string): Promise<string[]>;
  remove(segment: string): Promise<void>;
  totalBytes(): number;
  corruptLines(): number;
  close(): Promise<void>;
}

export interface SpoolOptions {
  dir: string;
  /** Rotate the active segment past this size. Default 8 MiB. */
  segmentBytes?: number;
}

const segmentPattern = /^spool-(\d{12})\.jsonl$/;
const segmentName = (n: number) => `spool-${String(n).padStart(12, "0")}.jsonl`;

export async function openSpool(opts: SpoolOptions): Promise<Spool> {
  const segmentBytes = opts.segmentBytes ?? 8 * 1024 * 1024;
  await mkdir(opts.dir, { recursive: true });
  // Segments left by an earlier process are closed: they are replayed, never appended to.
  const closed: string[] = [];
  const sizes = new Map<string, number>();
  let next = 0;
  for (const name of (await readdir(opts.dir)).sort()) {
    const m = segmentPattern.exec(name);
    if (!m) continue;
    closed.push(name);
    sizes.set(name, (await stat(join(opts.dir, name))).size);
    next = Math.max(next, Number(m[1]) + 1);
  }

  let active: { name: string; handle: FileHandle; bytes: number } | undefined;
  let chain: Promise<void> = Promise.resolve();
  let inFlight = 0;
  let corrupt = 0;

  const closeActive = async () => {
    if (!active) return;
    const a = active;
    active = undefined;
    await a.handle.close();
    if (a.bytes > 0) closed.push(a.name);
    else await rm(join(opts.dir, a.name), { force: true });
  };

  const serialize = <T>(task: () => Promise<T>): Promise<T> => {
    inFlight++;
    const run = chain.then(task);
    chain = run.then(
      () => undefined,
      () => undefined,
    );
    return run.finally(() => inFlight--);
  };

  return {
    append(lines) {
      if (lines.length === 0) return Promise.resolve();
      const data = Buffer.from(`${lines.join("\n")}\n`, "utf8");
      return serialize(async () => {
        if (active && active.bytes >= segmentBytes) await closeActive();
        if (!active) {
          const name = segmentName(next++);
          active = { name, handle: await open(join(opts.dir, name), "a"), bytes: 0 };
        }
        await active.handle.write(data);
        await active.handle.datasync();
        active.bytes += data.length;
        sizes.set(active.name, active.bytes);
      });
    },
    rotate: () => serialize(closeActive),
    closedSegments: () => [...closed],
    hasPendingWrites: () => inFlight > 0 || (active?.bytes ?? 0) > 0,
    async read(segment) {
      const text = await readFile(join(opts.dir, segment), "utf8");
      const lines: string[] = [];
      for (const line of text.split("\n")) {
        if (line.length === 0) continue;
        try {
          JSON.parse(line);
          lines.push(line);
        } catch {
          corrupt++;
        }
      }
      return lines;
    },
    async remove(segment) {
      await rm(join(opts.dir, segment), { force: true });
      sizes.delete(segment);
      const i = closed.indexOf(segment);
      if (i >= 0) closed.splice(i, 1);
    },
    totalBytes: () => {
      let total = 0;
      for (const n of sizes.values()) total += n;
      return total;
    },
    corruptLines: () => corrupt,
    close: () => serialize(closeActive),
  };
}

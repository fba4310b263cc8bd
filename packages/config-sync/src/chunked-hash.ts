import type { ConfigSnapshot } from "@portcullis/core";
import { canonicalJson, canonicalKeyOrder } from "./canonical";
import { keyedSections } from "./delta";
import { buildHashTreeAsync } from "./hash-tree";

export interface ChunkedOptions {
  /** Entries of a keyed section serialized between two yields (default 5,000). */
  sliceEntries?: number;
  /** Lets other work run (default: setImmediate). */
  yieldNow?: () => Promise<void>;
}

const keyed = new Set<string>(keyedSections);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The same bytes and hash as serializeSnapshot, produced in slices with a yield between them,
 * so a process serializing a large snapshot keeps answering requests meanwhile (at 100k keys
 * the whole serialization is hundreds of milliseconds of CPU).
 */
export async function serializeSnapshotChunked(snapshot: ConfigSnapshot, opts: ChunkedOptions = {}): Promise<{ data: Buffer; hash: string }> {
  const data = await serializeDataChunked(snapshot, opts);
  const tree = await buildHashTreeAsync(snapshot, { yieldNow: opts.yieldNow });
  return { data, hash: tree.root };
}

/** canonicalJson(snapshot) as UTF-8, in slices (the disk copy of a snapshot a delta produced). */
export async function serializeDataChunked(snapshot: ConfigSnapshot, opts: ChunkedOptions = {}): Promise<Buffer> {
  const slice = opts.sliceEntries ?? 5000;
  const yieldNow = opts.yieldNow ?? (() => new Promise<void>((resolve) => setImmediate(resolve)));
  const parts: Buffer[] = [];
  let pending = "";
  const flush = () => {
    if (!pending) return;
    parts.push(Buffer.from(pending, "utf8"));
    pending = "";
  };

  const top = snapshot as unknown as Record<string, unknown>;
  let firstTop = true;
  pending += "{";
  for (const name of canonicalKeyOrder(top)) {
    const value = top[name];
    if (value === undefined || typeof value === "function") continue;
    pending += `${firstTop ? "" : ","}${JSON.stringify(name)}:`;
    firstTop = false;
    if (!keyed.has(name) || !isRecord(value)) {
      pending += canonicalJson(value);
      continue;
    }
    pending += "{";
    let first = true;
    let n = 0;
    for (const key of canonicalKeyOrder(value)) {
      const entry = value[key];
      if (entry === undefined || typeof entry === "function") continue;
      pending += `${first ? "" : ","}${JSON.stringify(key)}:${canonicalJson(entry)}`;
      first = false;
      if (++n % slice === 0) {
        flush();
        await yieldNow();
      }
    }
    pending += "}";
  }
  pending += "}";
  flush();
  return Buffer.concat(parts);
}

import { createHash } from "node:crypto";
import type { ConfigSnapshot } from "@portcullis/core";
import { canonicalJson, canonicalKeyOrder } from "./canonical";
import { keyedSections } from "./delta";

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
 * so a gateway checking the snapshot a delta produced keeps answering requests meanwhile
 * (at 100k keys the whole serialization is hundreds of milliseconds of CPU).
 */
export async function serializeSnapshotChunked(snapshot: ConfigSnapshot, opts: ChunkedOptions = {}): Promise<{ data: Buffer; hash: string }> {
  const slice = opts.sliceEntries ?? 5000;
  const yieldNow = opts.yieldNow ?? (() => new Promise<void>((resolve) => setImmediate(resolve)));
  const hash = createHash("sha256");
  const parts: Buffer[] = [];
  let pending = "";
  const flush = () => {
    if (!pending) return;
    const b = Buffer.from(pending, "utf8");
    hash.update(b);
    parts.push(b);
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
  return { data: Buffer.concat(parts), hash: hash.digest("hex") };
}

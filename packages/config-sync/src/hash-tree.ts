import { createHash } from "node:crypto";
import type { ConfigSnapshot } from "@portcullis/core";
import { canonicalJson, canonicalKeyOrder } from "./canonical";
import { applyDelta, keyedSections, type SnapshotDelta } from "./delta";

/**
 * The snapshot hash that signatures cover, as a two-level hash tree so that a change
 * re-hashes only what it touched (at 100,000 keys hashing the whole snapshot costs ~1 s).
 *
 * Encoding, version 1 (all hashes sha256, hex in text):
 * - A keyed section (keys, providers, ... see keyedSections) whose value is a JSON object is
 *   split into BUCKETS buckets; an entry named `k` falls in bucket `bucketOf(k)` (FNV-1a 32-bit
 *   over the UTF-16 code units of `k`, low 8 bits). A bucket's hash is the sha256 of its
 *   entries as a canonical JSON object: `{` + `JSON.stringify(k):canonicalJson(value)` joined
 *   by `,` in canonical member order + `}` (so an empty bucket hashes `{}`). Entries whose
 *   value is undefined are absent, as in canonicalJson. The section's hash is the sha256 of
 *   `portcullis-config-section/v1` followed by the 256 raw 32-byte bucket hashes in order.
 * - Any other top-level field (and a keyed section that is not an object) hashes as the
 *   sha256 of its canonicalJson.
 * - The root is the sha256 of the text `portcullis-config-tree/v1\n` followed, for each
 *   top-level member in canonical order (undefined ones skipped), by the line
 *   `JSON.stringify(name) + " " + ("buckets" | "value") + " " + hash + "\n"`.
 * Bucketing need not be secret or collision-free: every entry is covered by its bucket's
 * hash whatever bucket it lands in, and a gateway recomputes the bucket of each key itself.
 */
export const BUCKETS = 256;
const TREE_DOMAIN = "portcullis-config-tree/v1\n";
const SECTION_DOMAIN = Buffer.from("portcullis-config-section/v1");

interface KeyedHashes {
  /** Raw 32-byte hash of each bucket. */
  buckets: Buffer[];
  /** Entry names in each bucket, in canonical order. */
  members: string[][];
  hash: string;
}

interface FieldHash {
  hash: string;
  /** Present when the field was hashed by buckets. */
  keyed?: KeyedHashes;
}

/** The hashes of one snapshot; immutable once built (a delta makes a new tree sharing the rest). */
export interface HashTree {
  root: string;
  fields: ReadonlyMap<string, FieldHash>;
}

const keyed = new Set<string>(keyedSections);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const absent = (v: unknown) => v === undefined || typeof v === "function";
const sha256 = (data: string | Buffer) => createHash("sha256").update(data);

/** FNV-1a 32-bit over UTF-16 code units, low 8 bits. */
export function bucketOf(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h & (BUCKETS - 1);
}

function isArrayIndex(k: string): boolean {
  const c = k.charCodeAt(0);
  if (c < 48 || c > 57) return false;
  const n = Number(k);
  return n < 4294967295 && String(n >>> 0) === k;
}

/** The canonical member order (canonicalKeyOrder's) as a comparator. */
function compareNames(a: string, b: string): number {
  const ia = isArrayIndex(a);
  const ib = isArrayIndex(b);
  if (ia && ib) return Number(a) - Number(b);
  if (ia !== ib) return ia ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function hashBucket(section: Record<string, unknown>, names: readonly string[]): Buffer {
  const h = createHash("sha256");
  let text = "{";
  let first = true;
  for (const name of names) {
    const value = section[name];
    if (absent(value)) continue;
    text += `${first ? "" : ","}${JSON.stringify(name)}:${canonicalJson(value)}`;
    first = false;
    // Bounded pieces: one string per bucket would be fine, this keeps large entries cheap too.
    if (text.length > 65536) {
      h.update(text);
      text = "";
    }
  }
  h.update(`${text}}`);
  return h.digest();
}

const sectionHash = (buckets: readonly Buffer[]) => sha256(Buffer.concat([SECTION_DOMAIN, ...buckets])).digest("hex");

/** Hashes a keyed section bucket by bucket, pausing (yield) every `slice` buckets. */
function* hashKeyed(section: Record<string, unknown>, slice = BUCKETS): Generator<void, KeyedHashes> {
  const members: string[][] = Array.from({ length: BUCKETS }, () => []);
  // Canonical order overall, so each bucket's list comes out in canonical order too.
  for (const name of canonicalKeyOrder(section)) if (!absent(section[name])) members[bucketOf(name)]!.push(name);
  const buckets: Buffer[] = [];
  for (let b = 0; b < BUCKETS; b++) {
    buckets.push(hashBucket(section, members[b]!));
    if ((b + 1) % slice === 0 && b + 1 < BUCKETS) yield;
  }
  return { buckets, members, hash: sectionHash(buckets) };
}

function* hashField(name: string, value: unknown, slice?: number): Generator<void, FieldHash> {
  if (keyed.has(name) && isRecord(value)) {
    const k = yield* hashKeyed(value, slice);
    return { hash: k.hash, keyed: k };
  }
  return { hash: sha256(canonicalJson(value)).digest("hex") };
}

function runSync<T>(g: Generator<void, T>): T {
  for (;;) {
    const step = g.next();
    if (step.done) return step.value;
  }
}

function rootOf(fields: ReadonlyMap<string, FieldHash>): string {
  let text = TREE_DOMAIN;
  for (const [name, f] of fields) text += `${JSON.stringify(name)} ${f.keyed ? "buckets" : "value"} ${f.hash}\n`;
  return sha256(text).digest("hex");
}

function* buildTree(snapshot: ConfigSnapshot, hashOf: (name: string, value: unknown) => Generator<void, FieldHash>): Generator<void, HashTree> {
  const top = snapshot as unknown as Record<string, unknown>;
  const fields = new Map<string, FieldHash>();
  for (const name of canonicalKeyOrder(top)) {
    const value = top[name];
    if (!absent(value)) fields.set(name, yield* hashOf(name, value));
  }
  return { root: rootOf(fields), fields };
}

/** The whole tree of a snapshot (a full load, or a publisher without a previous tree). */
export function buildHashTree(snapshot: ConfigSnapshot): HashTree {
  return runSync(buildTree(snapshot, (name, value) => hashField(name, value)));
}

/**
 * buildHashTree in slices of `sliceBuckets` buckets (default 16, about 6,000 entries at
 * 100,000 keys) with a yield between them, so a gateway verifying a full snapshot keeps
 * answering requests meanwhile.
 */
export async function buildHashTreeAsync(
  snapshot: ConfigSnapshot,
  opts: { sliceBuckets?: number; yieldNow?: () => Promise<void> } = {},
): Promise<HashTree> {
  const yieldNow = opts.yieldNow ?? (() => new Promise<void>((resolve) => setImmediate(resolve)));
  const g = buildTree(snapshot, (name, value) => hashField(name, value, opts.sliceBuckets ?? 16));
  for (;;) {
    const step = g.next();
    if (step.done) return step.value;
    await yieldNow();
  }
}

/** The signed hash of a snapshot: the root of its hash tree. */
export function snapshotHash(snapshot: ConfigSnapshot): string {
  return buildHashTree(snapshot).root;
}

/** A snapshot together with its tree (what a gateway and a long-lived publisher hold). */
export interface HashedSnapshot {
  snapshot: ConfigSnapshot;
  tree: HashTree;
}

/**
 * applyDelta, and the new snapshot's tree from the previous one: only the buckets holding an
 * upserted or removed entry, and the top-level fields the delta replaced, are re-hashed.
 * Sections the delta left alone are the same objects (applyDelta shares them), so their
 * hashes are reused.
 */
export function applyDeltaHashed(prev: HashedSnapshot, delta: SnapshotDelta): HashedSnapshot {
  const snapshot = applyDelta(prev.snapshot, delta);
  const before = prev.snapshot as unknown as Record<string, unknown>;
  const records = delta.records as Record<string, { upsert: Record<string, unknown>; remove: string[] } | undefined>;
  const tree = runSync(
    buildTree(snapshot, function* (name, value) {
      const old = prev.tree.fields.get(name);
      if (old && before[name] === value) return old;
      const changes = records[name];
      if (old?.keyed && changes && isRecord(value) && isRecord(before[name])) {
        const k = rehashBuckets(old.keyed, value, [...Object.keys(changes.upsert), ...changes.remove]);
        return { hash: k.hash, keyed: k };
      }
      return yield* hashField(name, value);
    }),
  );
  return { snapshot, tree };
}

/** Copies the touched buckets' member lists, fixes them from `section`, and re-hashes those buckets. */
function rehashBuckets(old: KeyedHashes, section: Record<string, unknown>, touched: readonly string[]): KeyedHashes {
  const byBucket = new Map<number, Set<string>>();
  for (const name of touched) {
    const b = bucketOf(name);
    let set = byBucket.get(b);
    if (!set) byBucket.set(b, (set = new Set(old.members[b])));
    if (Object.prototype.hasOwnProperty.call(section, name) && !absent(section[name])) set.add(name);
    else set.delete(name);
  }
  const members = old.members.slice();
  const buckets = old.buckets.slice();
  for (const [b, set] of byBucket) {
    const names = [...set].sort(compareNames);
    members[b] = names;
    buckets[b] = hashBucket(section, names);
  }
  return { buckets, members, hash: sectionHash(buckets) };
}

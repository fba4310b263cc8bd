import type { ConfigSnapshot } from "@portcullis/core";
import { jsonEqual } from "./canonical";

/** Sections keyed by a stable id: a change ships only the entries that differ. */
export const keyedSections = ["keys", "providers", "providerKeys", "teams", "customers", "budgets", "rateLimits"] as const;
export type KeyedSection = (typeof keyedSections)[number];

export interface SectionChanges<S extends KeyedSection> {
  /** Entries added or changed, whole. */
  upsert: ConfigSnapshot[S];
  /** Keys no longer present. */
  remove: string[];
}

/**
 * What turns one compiled snapshot into the next: per keyed section (keys by hash, providers,
 * provider keys, teams, customers, budgets and rate limits by scope key) the upserted and
 * removed entries; every other top-level field (compiledAt, prices, aliases, routing rules,
 * tenant policies) replaced whole when it changed. A section absent here did not change.
 */
export interface SnapshotDelta {
  version: string;
  records: { [S in KeyedSection]?: SectionChanges<S> };
  replace: Partial<Omit<ConfigSnapshot, KeyedSection | "version">>;
}

const has = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/** Pure: the delta from `a` to `b`. */
export function diffSnapshots(a: ConfigSnapshot, b: ConfigSnapshot): SnapshotDelta {
  const delta: SnapshotDelta = { version: b.version, records: {}, replace: {} };
  for (const section of keyedSections) {
    const before = (a[section] ?? {}) as Record<string, unknown>;
    const after = (b[section] ?? {}) as Record<string, unknown>;
    const upsert: Record<string, unknown> = {};
    const remove: string[] = [];
    let changed = false;
    for (const k of Object.keys(after)) {
      if (!has(before, k) || !jsonEqual(before[k], after[k])) {
        define(upsert, k, after[k]);
        changed = true;
      }
    }
    for (const k of Object.keys(before)) {
      if (!has(after, k)) {
        remove.push(k);
        changed = true;
      }
    }
    if (changed) (delta.records as Record<string, unknown>)[section] = { upsert, remove };
  }
  const skip = new Set<string>([...keyedSections, "version"]);
  const bRecord = b as unknown as Record<string, unknown>;
  const aRecord = a as unknown as Record<string, unknown>;
  for (const field of Object.keys(bRecord)) {
    if (skip.has(field)) continue;
    if (!jsonEqual(aRecord[field], bRecord[field])) (delta.replace as Record<string, unknown>)[field] = bRecord[field];
  }
  return delta;
}

/**
 * diffSnapshots when the caller knows which keys (section `keys`) can differ: only those are
 * compared (a compile that read only changed keys), the other sections in full. Exact
 * whenever every other entry of `b.keys` equals `a.keys`'s.
 */
export function diffSnapshotsKnownKeys(a: ConfigSnapshot, b: ConfigSnapshot, changed: { upserted: readonly string[]; removed: readonly string[] }): SnapshotDelta {
  const delta = diffSnapshots({ ...a, keys: {} }, { ...b, keys: {} });
  const before = a.keys as Record<string, unknown>;
  const after = b.keys as Record<string, unknown>;
  const upsert: Record<string, unknown> = {};
  const remove: string[] = [];
  for (const k of new Set(changed.upserted)) {
    if (has(after, k) && (!has(before, k) || !jsonEqual(before[k], after[k]))) define(upsert, k, after[k]);
  }
  for (const k of new Set(changed.removed)) if (has(before, k) && !has(after, k)) remove.push(k);
  if (Object.keys(upsert).length || remove.length) (delta.records as Record<string, unknown>).keys = { upsert, remove };
  return delta;
}

/**
 * Pure: `a` with `delta` applied, as a new object. `a` is never modified (requests may be
 * reading it); sections the delta does not touch are shared with `a`.
 */
export function applyDelta(a: ConfigSnapshot, delta: SnapshotDelta): ConfigSnapshot {
  const next = { ...a, ...delta.replace, version: delta.version } as ConfigSnapshot;
  for (const section of keyedSections) {
    const changes = delta.records[section] as SectionChanges<KeyedSection> | undefined;
    if (!changes) continue;
    const source = (a[section] ?? {}) as Record<string, unknown>;
    // A plain loop: at 100,000 keys about a third cheaper than spreading the object.
    const merged: Record<string, unknown> = {};
    for (const k of Object.keys(source)) define(merged, k, source[k]);
    for (const k of changes.remove) delete merged[k];
    const upsert = changes.upsert as Record<string, unknown>;
    for (const k of Object.keys(upsert)) define(merged, k, upsert[k]);
    (next as unknown as Record<string, unknown>)[section] = merged;
  }
  return next;
}

/** Own enumerable property even for "__proto__", which plain assignment would treat as the prototype. */
function define(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

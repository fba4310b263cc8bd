/**
 * Canonical JSON: every object's members in one defined order, arrays in order, no
 * whitespace, numbers and strings as JSON.stringify writes them, `undefined` members dropped.
 * Two equal snapshots therefore serialize to the same bytes whatever order their keys were
 * built in, so their sha256 is an identity a signature can cover.
 *
 * Member order: array-index keys ("0".."4294967294") first in ascending numeric order, then
 * the other keys by UTF-16 code unit. That is the order JavaScript itself keeps for keys
 * inserted sorted, which lets the native JSON.stringify do the writing: a snapshot parsed
 * from canonical JSON is already in order and is serialized without a copy. (RFC 8785 orders
 * index-like keys as strings; this differs only there.)
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonicalForm(value)) ?? "null";
}

function isArrayIndex(k: string): boolean {
  const c = k.charCodeAt(0);
  if (c < 48 || c > 57) return false;
  const n = Number(k);
  return n < 4294967295 && String(n >>> 0) === k;
}

/** A record's member names in canonical order (undefined members included; callers skip them). */
export function canonicalKeyOrder(record: Record<string, unknown>): string[] {
  const names = Object.keys(record);
  let firstName = 0;
  while (firstName < names.length && isArrayIndex(names[firstName]!)) firstName++;
  for (let i = firstName + 1; i < names.length; i++) {
    if (names[i - 1]! > names[i]!) return [...names.slice(0, firstName), ...names.slice(firstName).sort()];
  }
  return names;
}

/** `value` itself when already in canonical order, else a copy that is (only where needed). */
function canonicalForm(value: unknown): unknown {
  if (value === null || typeof value !== "object") {
    if (typeof value === "number" && !Number.isFinite(value)) throw new Error(`canonicalJson: ${value} is not JSON`);
    if (typeof value === "bigint") throw new Error("canonicalJson: bigint is not JSON; convert it first");
    return value;
  }
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const form = canonicalForm(item);
      if (form !== item) (copy ??= value.slice())[i] = form;
    }
    return copy ?? value;
  }
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === "function") return canonicalForm((value as { toJSON(): unknown }).toJSON());
  const record = value as Record<string, unknown>;
  const names = Object.keys(record);
  let ordered = true;
  let previous: string | undefined;
  for (const name of names) {
    if (isArrayIndex(name)) continue; // the engine already lists these first, ascending
    if (previous !== undefined && previous > name) {
      ordered = false;
      break;
    }
    previous = name;
  }
  if (!ordered) names.sort();
  let copy: Record<string, unknown> | undefined = ordered ? undefined : {};
  for (const name of names) {
    const member = record[name];
    const form = canonicalForm(member);
    if (copy === undefined && form !== member) {
      copy = {};
      for (const n of names) define(copy, n, record[n]);
    }
    if (copy !== undefined) define(copy, name, form);
  }
  return copy ?? record;
}

/** Own data property even for "__proto__", which plain assignment would treat as the prototype. */
function define(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** Structural equality of JSON values (what canonicalJson would call equal), without serializing. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], bb[i])) return false;
    return true;
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const ka = Object.keys(ra).filter((k) => ra[k] !== undefined);
  const kb = Object.keys(rb).filter((k) => rb[k] !== undefined);
  if (ka.length !== kb.length) return false;
  for (const k of ka) if (!Object.prototype.hasOwnProperty.call(rb, k) || !jsonEqual(ra[k], rb[k])) return false;
  return true;
}

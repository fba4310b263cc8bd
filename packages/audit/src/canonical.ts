import { createHash } from "node:crypto";

/**
 * Canonical JSON for hashing: object keys sorted by UTF-16 code units, no whitespace, numbers
 * and strings as JSON.stringify writes them (the RFC 8785 / JCS rules), plus:
 * Date -> ISO-8601 string, bigint -> decimal string, objects with toJSON() (Prisma Decimal,
 * Buffer) -> their toJSON value. Undefined object members are dropped and undefined array items
 * become null, like JSON.stringify, because that is what a jsonb column gives back.
 * Anything else (NaN, Infinity, functions, symbols, Map/Set/class instances, cycles) throws,
 * so that a value that would not survive a round trip through the database is never hashed.
 */
export function canonicalJson(value: unknown): string {
  return encode(value, new Set());
}

function encode(value: unknown, seen: Set<object>): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
    case "boolean":
      return JSON.stringify(value);
    case "number":
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: non-finite number ${value}`);
      return JSON.stringify(value);
    case "bigint":
      return JSON.stringify(value.toString());
    case "object":
      return encodeObject(value, seen);
    default:
      throw new TypeError(`canonicalJson: unsupported type ${typeof value}`);
  }
}

function encodeObject(value: object, seen: Set<object>): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new TypeError("canonicalJson: invalid Date");
    return JSON.stringify(value.toISOString());
  }
  if (seen.has(value)) throw new TypeError("canonicalJson: circular structure");
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      return `[${value.map((v) => (v === undefined ? "null" : encode(v, seen))).join(",")}]`;
    }
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      const toJSON = (value as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === "function") return encode(toJSON.call(value), seen);
      throw new TypeError(`canonicalJson: unsupported object ${value.constructor?.name ?? "?"}`);
    }
    const record = value as Record<string, unknown>;
    const parts: string[] = [];
    for (const key of Object.keys(record).sort()) {
      const v = record[key];
      if (v === undefined) continue;
      parts.push(`${JSON.stringify(key)}:${encode(v, seen)}`);
    }
    return `{${parts.join(",")}}`;
  } finally {
    seen.delete(value);
  }
}

/** The JSON value a canonical encoding describes: what to store so that a re-hash matches. */
export function toCanonicalValue<T = unknown>(value: unknown): T {
  return JSON.parse(canonicalJson(value)) as T;
}

/** prev_hash of the first event of the chain. */
export const GENESIS_HASH = "0".repeat(64);

const hexHash = /^[0-9a-f]{64}$/;

/** The audit event fields covered by the hash (everything but seq, prevHash and hash). */
export interface AuditHashFields {
  id: string;
  occurredAt: Date | string;
  actorType: string;
  actorId: string | null;
  actorLabel: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  outcome: string;
  metadata: unknown;
}

/** What pickAuditHashFields accepts: an event to append, or a stored row. */
export type AuditHashInput = Pick<AuditHashFields, "id" | "occurredAt" | "actorType" | "action" | "outcome"> &
  Partial<AuditHashFields>;

/**
 * Picks exactly the hashed fields from an event or a stored row (extra columns such as seq or
 * hash are ignored; missing optional fields count as null), so the writer and the verifier
 * hash the same thing.
 */
export function pickAuditHashFields(e: AuditHashInput): AuditHashFields {
  return {
    id: e.id,
    // One spelling of the instant whether a Date or an ISO string came in.
    occurredAt: new Date(e.occurredAt).toISOString(),
    actorType: e.actorType,
    actorId: e.actorId ?? null,
    actorLabel: e.actorLabel ?? null,
    action: e.action,
    targetType: e.targetType ?? null,
    targetId: e.targetId ?? null,
    before: e.before ?? null,
    after: e.after ?? null,
    ip: e.ip ?? null,
    userAgent: e.userAgent ?? null,
    requestId: e.requestId ?? null,
    outcome: e.outcome,
    metadata: e.metadata ?? {},
  };
}

/** hash = sha256_hex(prevHash + canonicalJson(fields)). */
export function hashEvent(prevHash: string, fields: AuditHashInput): string {
  if (!hexHash.test(prevHash)) throw new TypeError("hashEvent: prevHash must be 64 lower-case hex characters");
  return createHash("sha256").update(prevHash).update(canonicalJson(pickAuditHashFields(fields))).digest("hex");
}

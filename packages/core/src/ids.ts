import { randomBytes } from "node:crypto";

/** Every id prefix in the system, in one place. */
export const idPrefixes = {
  customer: "cus",
  team: "team",
  user: "usr",
  role: "role",
  serviceAccount: "sa",
  apiToken: "pat",
  virtualKey: "vk",
  budget: "bud",
  rateLimit: "rl",
  provider: "prv",
  providerKey: "pk",
  price: "price",
  routingRule: "rr",
  guardrail: "gr",
  mcpServer: "mcp",
  auditEvent: "evt",
  request: "req",
  exportSink: "sink",
  session: "ses",
  bootstrap: "boot",
} as const;

export type IdKind = keyof typeof idPrefixes;
export type IdPrefix = (typeof idPrefixes)[IdKind];

const alphabet = "0123456789abcdefghjkmnpqrstvwxyz"; // Crockford base32, lower case

function encodeTime(ms: number): string {
  let out = "";
  let t = ms;
  for (let i = 0; i < 10; i++) {
    out = alphabet[t % 32] + out;
    t = Math.floor(t / 32);
  }
  return out;
}

function encodeRandom(bytes: Buffer): string {
  let out = "";
  for (const b of bytes) out += alphabet[b & 31];
  return out;
}

/** A time-sortable id: `<prefix>_<10 chars of ms time><16 random chars>`. */
export function newId(kind: IdKind, now: number = Date.now()): string {
  return `${idPrefixes[kind]}_${encodeTime(now)}${encodeRandom(randomBytes(16))}`;
}

const idPattern = /^[a-z]+_[0-9a-hjkmnp-tv-z]{26}$/;

/** True when `value` is an id of the given kind. */
export function isId(kind: IdKind, value: string): boolean {
  return value.startsWith(`${idPrefixes[kind]}_`) && idPattern.test(value);
}

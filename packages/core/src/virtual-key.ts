import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Virtual key format: `pck_` + 32 base62 characters of randomness + 6 base62
 * characters of CRC-32 over the random part. The fixed prefix and the checksum let
 * secret scanners match a leaked key with no false positives, and let the gateway
 * reject a mistyped key before any lookup.
 */
export const virtualKeyPrefix = "pck_";
const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const bodyLength = 32;
const checksumLength = 6;

const crcTable = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(data: string | Uint8Array): number {
  const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  let crc = 0xffffffff;
  for (const b of bytes) crc = crcTable[(crc ^ b) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function toBase62(n: number, width: number): string {
  let out = "";
  let v = n;
  for (let i = 0; i < width; i++) {
    out = base62[v % 62] + out;
    v = Math.floor(v / 62);
  }
  return out;
}

function randomBase62(length: number): string {
  // Rejection sampling keeps every character uniformly distributed.
  let out = "";
  while (out.length < length) {
    for (const b of randomBytes(length * 2)) {
      if (b < 248 && out.length < length) out += base62[b % 62];
    }
  }
  return out;
}

/** Admin API tokens share the format under their own prefix. */
export const apiTokenPrefix = "pca_";

/** A new secret token: `<prefix>` + 32 random base62 characters + 6-character CRC-32 checksum. */
export function generateToken(prefix: string): string {
  const body = randomBase62(bodyLength);
  return `${prefix}${body}${toBase62(crc32(body), checksumLength)}`;
}

/** Format and checksum check: no lookup, no secret needed. */
export function isWellFormedToken(prefix: string, key: string): boolean {
  if (key.length !== prefix.length + bodyLength + checksumLength || !key.startsWith(prefix)) return false;
  const body = key.slice(prefix.length, prefix.length + bodyLength);
  if (!/^[0-9A-Za-z]+$/.test(body)) return false;
  return key.slice(-checksumLength) === toBase62(crc32(body), checksumLength);
}

export const generateVirtualKey = (): string => generateToken(virtualKeyPrefix);
export const isWellFormedVirtualKey = (key: string): boolean => isWellFormedToken(virtualKeyPrefix, key);

/** The stored form of a virtual key or API token: HMAC-SHA256 under the server pepper, hex. */
export function hashVirtualKey(pepper: string, key: string): string {
  return createHmac("sha256", pepper).update(key).digest("hex");
}

/** What the console shows: the prefix and the first characters, never enough to use. */
export function displayPrefix(key: string): string {
  return key.slice(0, key.indexOf("_") + 7);
}

export function constantTimeEqualHex(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a, "hex"), Buffer.from(b, "hex"));
}

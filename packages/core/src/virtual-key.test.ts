import { describe, expect, it } from "vitest";
import { constantTimeEqualHex, crc32, displayPrefix, generateVirtualKey, hashVirtualKey, isWellFormedVirtualKey } from "./virtual-key";

describe("virtual key format", () => {
  it("computes the standard CRC-32", () => {
    expect(crc32("123456789")).toBe(0xcbf43926);
  });
  it("generates distinct, well-formed keys", () => {
    const keys = new Set(Array.from({ length: 200 }, generateVirtualKey));
    expect(keys.size).toBe(200);
    for (const k of keys) expect(isWellFormedVirtualKey(k)).toBe(true);
  });
  it("rejects a key with one character changed (checksum) or the wrong prefix", () => {
    const k = generateVirtualKey();
    const i = 10;
    const flipped = k.slice(0, i) + (k[i] === "a" ? "b" : "a") + k.slice(i + 1);
    expect(isWellFormedVirtualKey(flipped)).toBe(false);
    expect(isWellFormedVirtualKey(`sk_${k.slice(4)}`)).toBe(false);
    expect(isWellFormedVirtualKey(`${k}x`)).toBe(false);
  });
  it("hashes with the pepper and compares in constant time", () => {
    const k = generateVirtualKey();
    const h1 = hashVirtualKey("pepper-a", k);
    expect(h1).toMatch(/^[0-9a-f]{64}$/);
    expect(hashVirtualKey("pepper-b", k)).not.toBe(h1);
    expect(constantTimeEqualHex(h1, hashVirtualKey("pepper-a", k))).toBe(true);
    expect(constantTimeEqualHex(h1, hashVirtualKey("pepper-a", generateVirtualKey()))).toBe(false);
    expect(displayPrefix(k)).toHaveLength(10);
  });
});

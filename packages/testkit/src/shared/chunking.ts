/**
 * Ways to cut a recorded byte stream, for decoder tests: whole, one byte at a
 * time, every two-piece split, and seeded three-piece splits. Boundaries land
 * inside CRLF pairs, multi-byte UTF-8 sequences and JSON alike.
 */
export function chunkings(bytes: Uint8Array, extraSplits = 50): Uint8Array[][] {
  const out: Uint8Array[][] = [[bytes], Array.from(bytes, (b) => Uint8Array.of(b))];
  for (let i = 1; i < bytes.length; i++) out.push([bytes.subarray(0, i), bytes.subarray(i)]);
  let seed = 42;
  const next = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % Math.max(1, bytes.length);
  };
  for (let k = 0; k < extraSplits; k++) {
    const [a, b] = [next(), next()].sort((x, y) => x - y) as [number, number];
    out.push([bytes.subarray(0, a), bytes.subarray(a, b), bytes.subarray(b)]);
  }
  return out;
}

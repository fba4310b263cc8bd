/**
 * Deterministic "model" behaviour shared by the simulators, so tests can
 * compute the exact expected text and token counts.
 */

/** Simulated tokens: one per started group of four characters. */
export function simTokenCount(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Splits text into stream pieces, one word (with its trailing whitespace) each. */
export function splitPieces(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}

/** Truncates a reply to `maxTokens` simulated tokens. */
export function truncateToTokens(text: string, maxTokens: number | undefined): { text: string; truncated: boolean } {
  if (maxTokens === undefined || simTokenCount(text) <= maxTokens) return { text, truncated: false };
  return { text: text.slice(0, maxTokens * 4), truncated: true };
}

/** Cuts at the first stop sequence present. */
export function applyStop(text: string, stops: readonly string[] | undefined): { text: string; stoppedBy?: string } {
  let cut: { at: number; seq: string } | undefined;
  for (const seq of stops ?? []) {
    const at = seq === "" ? -1 : text.indexOf(seq);
    if (at !== -1 && (cut === undefined || at < cut.at)) cut = { at, seq };
  }
  return cut ? { text: text.slice(0, cut.at), stoppedBy: cut.seq } : { text };
}

/** FNV-1a, for deterministic embeddings. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A unit vector derived from the text (mulberry32 seeded by its hash). */
export function simEmbedding(text: string, dims: number): number[] {
  let seed = hash32(text);
  const out: number[] = [];
  let norm = 0;
  for (let i = 0; i < dims; i++) {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const v = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
    out.push(v);
    norm += v * v;
  }
  const scale = norm === 0 ? 1 : 1 / Math.sqrt(norm);
  // Rounded to float32 so float and base64 encodings carry identical values.
  return out.map((v) => Math.fround(v * scale));
}

export function floatsToBase64(values: readonly number[]): string {
  const buf = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => buf.writeFloatLE(v, i * 4));
  return buf.toString("base64");
}

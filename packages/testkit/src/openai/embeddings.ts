import { floatsToBase64, simEmbedding, simTokenCount } from "../shared/text";

type Json = Record<string, unknown>;

/** Default dimensions per model, as OpenAI documents them. */
export function defaultDimensions(model: string): number {
  return model.includes("3-large") ? 3072 : 1536;
}

interface EmbeddingInput {
  /** What the vector is derived from (token arrays as their JSON). */
  key: string;
  tokens: number;
}

/** Normalizes every documented `input` form; undefined for a shape OpenAI rejects. */
export function embeddingInputs(input: unknown): EmbeddingInput[] | undefined {
  if (typeof input === "string") return [{ key: input, tokens: simTokenCount(input) }];
  if (!Array.isArray(input) || input.length === 0) return undefined;
  if (input.every((x) => typeof x === "string")) return input.map((t: string) => ({ key: t, tokens: simTokenCount(t) }));
  if (input.every((x) => typeof x === "number")) return [{ key: JSON.stringify(input), tokens: input.length }];
  if (input.every((x) => Array.isArray(x))) return input.map((x: unknown[]) => ({ key: JSON.stringify(x), tokens: x.length }));
  return undefined;
}

/** Deterministic vectors: `simEmbedding(text, dimensions)`; tokens: text length / 4, token arrays their length. */
export function embeddingResponse(body: Json, model: string): Json | undefined {
  const inputs = embeddingInputs(body["input"]);
  if (!inputs) return undefined;
  const dims = typeof body["dimensions"] === "number" ? body["dimensions"] : defaultDimensions(model);
  const base64 = body["encoding_format"] === "base64";
  const tokens = inputs.reduce((sum, i) => sum + i.tokens, 0);
  return {
    object: "list",
    data: inputs.map((input, index) => {
      const v = simEmbedding(input.key, dims);
      return { object: "embedding", index, embedding: base64 ? floatsToBase64(v) : v };
    }),
    model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}

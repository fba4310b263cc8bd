/** Gemini API embeddings: `:embedContent` for one text, `:batchEmbedContents` for several. */
import { PortcullisError, type EmbeddingRequest, type EmbeddingResponse } from "@portcullis/core";
import type { EmbeddingAdapter } from "../types";
import { geminiHeaders, geminiModelName, geminiUrl } from "./api";

export function embeddingTexts(req: EmbeddingRequest): string[] {
  const input = req.input;
  if (typeof input === "string") return [input];
  if (Array.isArray(input) && input.every((x): x is string => typeof x === "string")) return input;
  throw new PortcullisError({ code: "invalid_field", param: "input", message: "gemini embeddings take text input, not token arrays" });
}

export function encodeEmbedding(values: number[], format: EmbeddingRequest["encoding_format"]): number[] | string {
  return format === "base64" ? Buffer.from(new Float32Array(values).buffer).toString("base64") : values;
}

function embedRequest(text: string, model: string, dimensions: number | undefined): Record<string, unknown> {
  const r: Record<string, unknown> = { model: `models/${model}`, content: { parts: [{ text }] } };
  if (dimensions !== undefined) r.outputDimensionality = dimensions;
  return r;
}

export const geminiEmbeddings: EmbeddingAdapter = {
  buildEmbeddingRequest(req, target) {
    const texts = embeddingTexts(req);
    const model = geminiModelName(target.model);
    const batch = Array.isArray(req.input);
    const body = batch
      ? { requests: texts.map((t) => embedRequest(t, model, req.dimensions)) }
      : embedRequest(texts[0]!, model, req.dimensions);
    return {
      method: "POST",
      url: geminiUrl(target, batch ? "batchEmbedContents" : "embedContent"),
      headers: geminiHeaders(target, false),
      body: JSON.stringify(body),
      stream: false,
    };
  },
  parseEmbeddingResponse(body, target, req): EmbeddingResponse {
    const res = JSON.parse(new TextDecoder().decode(body)) as {
      embedding?: { values: number[] };
      embeddings?: Array<{ values: number[] }>;
      usageMetadata?: { promptTokenCount?: number };
    };
    const vectors = res.embeddings?.map((e) => e.values) ?? (res.embedding ? [res.embedding.values] : []);
    // The Gemini API reports no token count for embeddings; usage stays 0 unless it does.
    const tokens = res.usageMetadata?.promptTokenCount ?? 0;
    return {
      object: "list",
      data: vectors.map((v, index) => ({ object: "embedding", index, embedding: encodeEmbedding(v, req.encoding_format) })),
      model: geminiModelName(target.model),
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    };
  },
};

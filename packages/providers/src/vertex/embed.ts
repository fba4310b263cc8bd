/** Vertex text embeddings through `:predict` (`instances[].content` -> `predictions[].embeddings`). */
import type { EmbeddingResponse } from "@portcullis/core";
import { embeddingTexts, encodeEmbedding } from "../gemini/embed";
import type { EmbeddingAdapter } from "../types";
import { vertexHeaders, vertexUrl } from "./api";

interface PredictResponse {
  predictions?: Array<{ embeddings?: { values: number[]; statistics?: { token_count?: number; truncated?: boolean } } }>;
}

export const vertexEmbeddings: EmbeddingAdapter = {
  buildEmbeddingRequest(req, target) {
    const body: Record<string, unknown> = { instances: embeddingTexts(req).map((content) => ({ content })) };
    if (req.dimensions !== undefined) body.parameters = { outputDimensionality: req.dimensions };
    return { method: "POST", url: vertexUrl(target, "predict"), headers: vertexHeaders(target, false), body: JSON.stringify(body), stream: false };
  },
  parseEmbeddingResponse(body, target, req): EmbeddingResponse {
    const res = JSON.parse(new TextDecoder().decode(body)) as PredictResponse;
    const predictions = res.predictions ?? [];
    const tokens = predictions.reduce((sum, p) => sum + (p.embeddings?.statistics?.token_count ?? 0), 0);
    return {
      object: "list",
      data: predictions.map((p, index) => ({ object: "embedding", index, embedding: encodeEmbedding(p.embeddings?.values ?? [], req.encoding_format) })),
      model: target.model,
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    };
  },
};

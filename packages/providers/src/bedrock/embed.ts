/**
 * Embeddings through InvokeModel (`/model/{id}/invoke`) for Amazon Titan and
 * Cohere embed models; each family has its own body.
 */
import { PortcullisError, type EmbeddingRequest, type EmbeddingResponse } from "@portcullis/core";
import type { EmbeddingAdapter } from "../types";
import { bedrockUrl, signedBedrockPost } from "./api";

type EmbedFamily = "titan" | "cohere";

function familyOf(model: string): EmbedFamily {
  // Inference-profile ids carry a geography prefix ("us.cohere.embed-...").
  if (/(^|\.)cohere\.embed/.test(model)) return "cohere";
  if (/(^|\.)amazon\.titan-embed/.test(model)) return "titan";
  throw new PortcullisError({ code: "invalid_field", param: "model", message: `bedrock embeddings support Titan and Cohere embed models, not "${model}"` });
}

function textInputs(req: EmbeddingRequest): string[] {
  const input = req.input;
  if (typeof input === "string") return [input];
  if (Array.isArray(input) && input.every((x): x is string => typeof x === "string")) return input;
  throw new PortcullisError({ code: "invalid_field", param: "input", message: "bedrock embeddings take text input, not token arrays" });
}

export function toInvokeEmbeddingBody(req: EmbeddingRequest, model: string): Record<string, unknown> {
  const texts = textInputs(req);
  if (familyOf(model) === "cohere") return { texts, input_type: "search_document", embedding_types: ["float"] };
  if (texts.length !== 1) {
    throw new PortcullisError({ code: "invalid_field", param: "input", message: "Titan embeds one text per request" });
  }
  const body: Record<string, unknown> = { inputText: texts[0] };
  if (req.dimensions !== undefined) body.dimensions = req.dimensions;
  return body;
}

function encode(values: number[], format: EmbeddingRequest["encoding_format"]): number[] | string {
  if (format !== "base64") return values;
  return Buffer.from(new Float32Array(values).buffer).toString("base64");
}

export function fromInvokeEmbeddingBody(raw: unknown, req: EmbeddingRequest, model: string): EmbeddingResponse {
  const body = raw as Record<string, unknown>;
  let vectors: number[][];
  let tokens = 0;
  if (familyOf(model) === "cohere") {
    const e = body.embeddings as number[][] | { float?: number[][] } | undefined;
    vectors = Array.isArray(e) ? e : e?.float ?? [];
  } else {
    vectors = [body.embedding as number[]];
    tokens = typeof body.inputTextTokenCount === "number" ? body.inputTextTokenCount : 0;
  }
  return {
    object: "list",
    data: vectors.map((v, index) => ({ object: "embedding", index, embedding: encode(v, req.encoding_format) })),
    model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}

export const bedrockEmbeddings: EmbeddingAdapter = {
  buildEmbeddingRequest(req, target, ctx) {
    const body = JSON.stringify(toInvokeEmbeddingBody(req, target.model));
    return signedBedrockPost(target, bedrockUrl(target, "invoke"), body, "application/json", ctx, false);
  },
  parseEmbeddingResponse(body, target, req) {
    return fromInvokeEmbeddingBody(JSON.parse(new TextDecoder().decode(body)), req, target.model);
  },
};

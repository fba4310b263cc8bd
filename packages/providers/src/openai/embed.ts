import { PortcullisError, type EmbeddingRequest, type EmbeddingResponse } from "@portcullis/core";
import { isRecord, parseUpstreamJson } from "../shared/http";

/** Float32 little-endian bytes, base64: OpenAI's `encoding_format: "base64"`. */
export function floatsToBase64(values: readonly number[]): string {
  const buf = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => buf.writeFloatLE(v, i * 4));
  return buf.toString("base64");
}

export function base64ToFloats(b64: string): number[] {
  const buf = Buffer.from(b64, "base64");
  const out: number[] = [];
  for (let i = 0; i + 4 <= buf.length; i += 4) out.push(buf.readFloatLE(i));
  return out;
}

/**
 * `nativeBase64`: the upstream honours `encoding_format: "base64"`. Otherwise
 * floats are requested and encoded here, because the `openai` SDK asks for
 * base64 by default and many compatible servers ignore or reject it.
 */
export function buildOpenAiEmbeddingBody(req: EmbeddingRequest, model: string, nativeBase64: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = { ...req, model };
  if (!nativeBase64) delete body["encoding_format"];
  return body;
}

export function parseOpenAiEmbeddingResponse(body: Uint8Array, provider: string, req: EmbeddingRequest): EmbeddingResponse {
  const raw = parseUpstreamJson(body, provider);
  if (!isRecord(raw) || !Array.isArray(raw["data"])) {
    throw new PortcullisError({ code: "upstream_error", message: `${provider} returned an embeddings response without data` });
  }
  const wantBase64 = req.encoding_format === "base64";
  const data = raw["data"].map((item: unknown, i: number) => {
    const rec = isRecord(item) ? item : {};
    let embedding = rec["embedding"];
    if (wantBase64 && Array.isArray(embedding)) embedding = floatsToBase64(embedding.map(Number));
    if (!wantBase64 && typeof embedding === "string") embedding = base64ToFloats(embedding);
    return { ...rec, object: "embedding" as const, index: typeof rec["index"] === "number" ? rec["index"] : i, embedding: embedding as number[] | string };
  });
  const usage = isRecord(raw["usage"]) ? raw["usage"] : {};
  const prompt = typeof usage["prompt_tokens"] === "number" ? usage["prompt_tokens"] : 0;
  const total = typeof usage["total_tokens"] === "number" ? usage["total_tokens"] : prompt;
  return {
    ...raw,
    object: "list",
    data,
    model: typeof raw["model"] === "string" ? raw["model"] : "",
    usage: { ...usage, prompt_tokens: prompt, total_tokens: total },
  };
}

import { describe, expect, it } from "vitest";
import type { Target } from "../types";
import { createOpenAiCompatibleAdapter } from "../openai-compatible";
import { base64ToFloats, floatsToBase64 } from "./embed";
import { openAiAdapter } from "./index";

const enc = new TextEncoder();
const ctx = { now: new Date(0), requestId: "r" };
const target: Target = { provider: "openai", baseUrl: "https://api.openai.com/v1", model: "text-embedding-3-small", credentials: { kind: "api-key", apiKey: "k" } };

describe("embeddings", () => {
  it("round-trips float32 little-endian base64", () => {
    const v = [0.5, -1, 0.25];
    expect(floatsToBase64(v)).toBe("AAAAPwAAgL8AAIA+");
    expect(base64ToFloats("AAAAPwAAgL8AAIA+")).toEqual(v);
  });

  it("forwards encoding_format to OpenAI and passes its base64 answer through", () => {
    const emb = openAiAdapter.embeddings!;
    const req = { model: "alias", input: ["a"], encoding_format: "base64" as const };
    const up = emb.buildEmbeddingRequest(req, target, ctx);
    expect(up.url).toBe("https://api.openai.com/v1/embeddings");
    expect(JSON.parse(String(up.body))).toEqual({ model: "text-embedding-3-small", input: ["a"], encoding_format: "base64" });
    const wire = `{"object":"list","data":[{"object":"embedding","index":0,"embedding":"AAAAPwAAgL8AAIA+"}],"model":"text-embedding-3-small","usage":{"prompt_tokens":1,"total_tokens":1}}`;
    expect(emb.parseEmbeddingResponse(enc.encode(wire), target, req).data[0]?.embedding).toBe("AAAAPwAAgL8AAIA+");
  });

  it("asks compatible servers for floats and encodes base64 locally", () => {
    const emb = createOpenAiCompatibleAdapter("ollama").embeddings!;
    const req = { model: "nomic", input: "a", encoding_format: "base64" as const };
    const up = emb.buildEmbeddingRequest(req, { ...target, provider: "ollama", baseUrl: "", model: "nomic-embed-text" }, ctx);
    expect(up.url).toBe("http://localhost:11434/v1/embeddings");
    expect(JSON.parse(String(up.body))).toEqual({ model: "nomic-embed-text", input: "a" });
    const wire = `{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.5,-1,0.25]}],"model":"nomic-embed-text","usage":{"prompt_tokens":1,"total_tokens":1}}`;
    const res = emb.parseEmbeddingResponse(enc.encode(wire), target, req);
    expect(res.data[0]?.embedding).toBe("AAAAPwAAgL8AAIA+");
    expect(res.usage).toEqual({ prompt_tokens: 1, total_tokens: 1 });
  });

  it("decodes base64 for a client that asked for floats", () => {
    const emb = openAiAdapter.embeddings!;
    const wire = `{"object":"list","data":[{"object":"embedding","index":0,"embedding":"AAAAPwAAgL8AAIA+"}],"model":"m","usage":{"prompt_tokens":1,"total_tokens":1}}`;
    expect(emb.parseEmbeddingResponse(enc.encode(wire), target, { model: "m", input: "a" }).data[0]?.embedding).toEqual([0.5, -1, 0.25]);
  });
});

import { describe, expect, it } from "vitest";
import type { Target } from "../types";
import { compatibleQuirks, createOpenAiCompatibleAdapter, type CompatibleProviderType } from "./index";

const ctx = { now: new Date(0), requestId: "r" };
const t = (provider: CompatibleProviderType, baseUrl = ""): Target => ({ provider, baseUrl, model: "m1", credentials: { kind: "api-key", apiKey: "k" } });

describe("OpenAI-compatible providers", () => {
  it("default to each vendor's documented endpoint", () => {
    const urls = Object.fromEntries(
      (Object.keys(compatibleQuirks) as CompatibleProviderType[])
        .filter((p) => p !== "openai-compatible")
        .map((p) => [p, createOpenAiCompatibleAdapter(p).chat.buildChatRequest({ model: "x", messages: [] }, t(p), ctx).url]),
    );
    expect(urls).toEqual({
      mistral: "https://api.mistral.ai/v1/chat/completions",
      groq: "https://api.groq.com/openai/v1/chat/completions",
      deepseek: "https://api.deepseek.com/chat/completions",
      xai: "https://api.x.ai/v1/chat/completions",
      together: "https://api.together.xyz/v1/chat/completions",
      fireworks: "https://api.fireworks.ai/inference/v1/chat/completions",
      openrouter: "https://openrouter.ai/api/v1/chat/completions",
      ollama: "http://localhost:11434/v1/chat/completions",
      vllm: "http://localhost:8000/v1/chat/completions",
    });
  });

  it("require a base URL for the generic type", () => {
    expect(() => createOpenAiCompatibleAdapter("openai-compatible").chat.buildChatRequest({ model: "x", messages: [] }, t("openai-compatible"), ctx)).toThrow(/base URL/);
    const up = createOpenAiCompatibleAdapter("openai-compatible").chat.buildChatRequest({ model: "x", messages: [] }, t("openai-compatible", "http://llm.internal:9000/v1"), ctx);
    expect(up.url).toBe("http://llm.internal:9000/v1/chat/completions");
  });

  it("send Mistral only parameters it accepts, without stream_options", () => {
    const up = createOpenAiCompatibleAdapter("mistral").chat.buildChatRequest(
      { model: "x", messages: [{ role: "user", content: "hi" }], stream: true, seed: 7, user: "u1", max_completion_tokens: 50, logit_bias: { "1": 2 } },
      t("mistral"),
      ctx,
    );
    expect(JSON.parse(String(up.body))).toEqual({ model: "m1", messages: [{ role: "user", content: "hi" }], stream: true, random_seed: 7, max_tokens: 50 });
  });

  it("expose embeddings and responses only where the vendor serves them", () => {
    expect(createOpenAiCompatibleAdapter("deepseek").embeddings).toBeUndefined();
    expect(createOpenAiCompatibleAdapter("groq").embeddings).toBeUndefined();
    expect(createOpenAiCompatibleAdapter("together").embeddings).toBeDefined();
    expect(createOpenAiCompatibleAdapter("vllm").responses).toBeDefined();
    expect(createOpenAiCompatibleAdapter("mistral").responses).toBeUndefined();
  });

  it("keep no-auth servers header-free", () => {
    const up = createOpenAiCompatibleAdapter("ollama").chat.buildChatRequest({ model: "x", messages: [] }, { ...t("ollama"), credentials: { kind: "none" } }, ctx);
    expect(up.headers["authorization"]).toBeUndefined();
  });
});

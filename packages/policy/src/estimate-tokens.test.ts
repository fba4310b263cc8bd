import { describe, expect, it } from "vitest";
import { estimateEmbeddingTokens, estimatePromptTokens, tokenizerFactor } from "./estimate-tokens";

describe("prompt token estimate", () => {
  it("leans above a typical tokenizer count for English and counts images and tools", () => {
    // "Hello, how are you today?" is 7 tokens in o200k.
    const plain = estimatePromptTokens({ messages: [{ role: "user", content: "Hello, how are you today?" }] });
    expect(plain).toBe(3 + 4 + 7);
    // Past 32 KiB a string is bounded by bytes / 3 instead of tokenized.
    const long = "word ".repeat(10_000);
    expect(estimatePromptTokens({ messages: [{ role: "user", content: long }] })).toBe(3 + 4 + Math.ceil(long.length / 3));
    const withImage = estimatePromptTokens({ messages: [{ role: "user", content: [{ type: "text", text: "hi" }, { type: "image_url", image_url: { url: "data:," } }] }] });
    expect(withImage).toBe(3 + 4 + 1 + 765);
    expect(tokenizerFactor("anthropic")).toBeGreaterThan(1);
    expect(tokenizerFactor("openai")).toBe(1);
    const tools = estimatePromptTokens({ messages: [{ role: "user", content: "x" }], tools: [{ type: "function", function: { name: "get_weather", parameters: { type: "object" } } }] });
    expect(tools).toBeGreaterThan(3 + 4 + 1);
  });
  it("counts embedding inputs, pre-tokenized ones exactly", () => {
    expect(estimateEmbeddingTokens([[1, 2, 3], [4]])).toBe(4);
    expect(estimateEmbeddingTokens("hello world")).toBe(2);
    expect(estimateEmbeddingTokens(["hello", "world"])).toBe(2);
  });
});

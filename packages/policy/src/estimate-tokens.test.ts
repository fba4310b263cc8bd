import { describe, expect, it } from "vitest";
import { estimateEmbeddingTokens, estimatePromptTokens } from "./estimate-tokens";

describe("prompt token estimate", () => {
  it("leans above a typical tokenizer count for English and counts images and tools", () => {
    // "Hello, how are you today?" is 7 tokens in o200k; the estimate must not be below it.
    const plain = estimatePromptTokens({ messages: [{ role: "user", content: "Hello, how are you today?" }] });
    expect(plain).toBeGreaterThanOrEqual(7 + 4);
    const withImage = estimatePromptTokens({ messages: [{ role: "user", content: [{ type: "text", text: "hi" }, { type: "image_url", image_url: { url: "data:," } }] }] });
    expect(withImage).toBe(3 + 4 + 1 + 765);
    const tools = estimatePromptTokens({ messages: [{ role: "user", content: "x" }], tools: [{ type: "function", function: { name: "get_weather", parameters: { type: "object" } } }] });
    expect(tools).toBeGreaterThan(3 + 4 + 1);
  });
  it("counts embedding inputs, pre-tokenized ones exactly", () => {
    expect(estimateEmbeddingTokens([[1, 2, 3], [4]])).toBe(4);
    expect(estimateEmbeddingTokens("abcdef")).toBe(2);
    expect(estimateEmbeddingTokens(["abc", "abc"])).toBe(2);
  });
});

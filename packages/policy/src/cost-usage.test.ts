import { describe, expect, it } from "vitest";
import {
  mergeAnthropicStreamUsage, normalizeAnthropicUsage, normalizeBedrockUsage, normalizeGeminiUsage, normalizeOpenAiUsage,
} from "./cost-usage";

describe("normalizeOpenAiUsage", () => {
  it("takes cached tokens out of prompt_tokens", () => {
    expect(normalizeOpenAiUsage({
      prompt_tokens: 2000, completion_tokens: 100, total_tokens: 2100,
      prompt_tokens_details: { cached_tokens: 1500 }, completion_tokens_details: { reasoning_tokens: 40 },
    })).toEqual({ inputTokens: 500, outputTokens: 100, cachedReadTokens: 1500, cachedWriteTokens: 0, reasoningTokens: 40 });
  });

  it("reads the Responses API shape", () => {
    expect(normalizeOpenAiUsage({
      input_tokens: 12033, input_tokens_details: { cached_tokens: 11904 }, output_tokens: 44,
      output_tokens_details: { reasoning_tokens: 0 },
    })).toEqual({ inputTokens: 129, outputTokens: 44, cachedReadTokens: 11904, cachedWriteTokens: 0, reasoningTokens: 0 });
  });

  it("reads DeepSeek's cache hit / miss split", () => {
    expect(normalizeOpenAiUsage({
      prompt_tokens: 1000, completion_tokens: 100, prompt_cache_hit_tokens: 800, prompt_cache_miss_tokens: 200,
    })).toEqual({ inputTokens: 200, outputTokens: 100, cachedReadTokens: 800, cachedWriteTokens: 0 });
    expect(normalizeOpenAiUsage({ prompt_cache_hit_tokens: 800, prompt_cache_miss_tokens: 200 }).inputTokens).toBe(200);
  });

  it("takes canonical cache writes out of prompt_tokens", () => {
    expect(normalizeOpenAiUsage({
      prompt_tokens: 3000, completion_tokens: 10, prompt_tokens_details: { cached_tokens: 1000, cache_write_tokens: 1500 },
    })).toMatchObject({ inputTokens: 500, cachedReadTokens: 1000, cachedWriteTokens: 1500 });
  });

  it("adds reasoning to output when the provider left it out of completion_tokens (xAI)", () => {
    const xai = normalizeOpenAiUsage({
      prompt_tokens: 100, completion_tokens: 10, total_tokens: 410, completion_tokens_details: { reasoning_tokens: 300 },
    });
    expect(xai.outputTokens).toBe(310);
    const openai = normalizeOpenAiUsage({
      prompt_tokens: 100, completion_tokens: 310, total_tokens: 410, completion_tokens_details: { reasoning_tokens: 300 },
    });
    expect(openai.outputTokens).toBe(310);
  });

  it("treats missing, null, negative and fractional counts safely", () => {
    expect(normalizeOpenAiUsage({ prompt_tokens: null, completion_tokens: -3, prompt_tokens_details: null })).toEqual({
      inputTokens: 0, outputTokens: 0, cachedReadTokens: 0, cachedWriteTokens: 0,
    });
    expect(normalizeOpenAiUsage({ prompt_tokens: 10.7, completion_tokens: 2 }).inputTokens).toBe(10);
  });
});

describe("normalizeAnthropicUsage", () => {
  it("keeps input_tokens as the uncached part", () => {
    expect(normalizeAnthropicUsage({
      input_tokens: 21, output_tokens: 393, cache_creation_input_tokens: 188086, cache_read_input_tokens: 0,
    })).toEqual({ inputTokens: 21, outputTokens: 393, cachedReadTokens: 0, cachedWriteTokens: 188086 });
  });

  it("sums the TTL split when only the breakdown is present", () => {
    expect(normalizeAnthropicUsage({
      input_tokens: 5, output_tokens: 1, cache_creation: { ephemeral_5m_input_tokens: 100, ephemeral_1h_input_tokens: 50 },
    }).cachedWriteTokens).toBe(150);
  });

  it("merges message_start and cumulative message_delta usage", () => {
    const merged = mergeAnthropicStreamUsage(
      { input_tokens: 2095, output_tokens: 1, cache_read_input_tokens: 1800, cache_creation_input_tokens: 0 },
      { output_tokens: 250 },
      { output_tokens: 503, input_tokens: null },
    );
    expect(merged).toEqual({ input_tokens: 2095, output_tokens: 503, cache_read_input_tokens: 1800, cache_creation_input_tokens: 0 });
  });
});

describe("normalizeBedrockUsage", () => {
  it("maps Converse usage, whose inputTokens exclude cache tokens", () => {
    expect(normalizeBedrockUsage({
      inputTokens: 100, outputTokens: 50, totalTokens: 3150, cacheReadInputTokens: 1000, cacheWriteInputTokens: 2000,
    })).toEqual({ inputTokens: 100, outputTokens: 50, cachedReadTokens: 1000, cachedWriteTokens: 2000 });
  });
});

describe("normalizeGeminiUsage", () => {
  it("takes cached content out of the prompt and bills thoughts as output", () => {
    expect(normalizeGeminiUsage({
      promptTokenCount: 10000, cachedContentTokenCount: 4000, candidatesTokenCount: 500, thoughtsTokenCount: 1500,
      totalTokenCount: 12000,
    })).toEqual({ inputTokens: 6000, outputTokens: 2000, cachedReadTokens: 4000, cachedWriteTokens: 0, reasoningTokens: 1500 });
  });

  it("counts tool-use prompt tokens as input", () => {
    expect(normalizeGeminiUsage({ promptTokenCount: 100, toolUsePromptTokenCount: 40, candidatesTokenCount: 5 }).inputTokens).toBe(140);
  });
});

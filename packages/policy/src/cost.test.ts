import { findModel, type ModelPrice } from "@portcullis/core";
import { describe, expect, it } from "vitest";
import { costMicros, maxCostMicros, ratesForPrompt } from "./cost";
import {
  mergeAnthropicStreamUsage, normalizeAnthropicUsage, normalizeBedrockUsage, normalizeGeminiUsage, normalizeOpenAiUsage,
} from "./cost-usage";

// Fixtures are hand-computed: tokens x (USD per 1M tokens) = micro-USD.
function catalogPrice(provider: Parameters<typeof findModel>[0], model: string): ModelPrice {
  const entry = findModel(provider, model);
  if (!entry) throw new Error(`${provider}/${model} missing from the catalog`);
  return entry.price;
}

const gpt4o: ModelPrice = { input: 2.5, output: 10, cachedRead: 1.25, cachedWrite: null };
const sonnet: ModelPrice = { input: 3, output: 15, cachedRead: 0.3, cachedWrite: 3.75 };
const geminiPro: ModelPrice = {
  input: 1.25, output: 10, cachedRead: 0.125, cachedWrite: null,
  tiers: [{ aboveInputTokens: 200_000, input: 2.5, output: 15, cachedRead: 0.25, cachedWrite: null }],
};

describe("costMicros per provider family", () => {
  it("OpenAI without cache: 1000 x 2.5 + 500 x 10", () => {
    const usage = normalizeOpenAiUsage({ prompt_tokens: 1000, completion_tokens: 500 });
    expect(costMicros(usage, catalogPrice("openai", "gpt-4o"))).toBe(7_500);
  });

  it("OpenAI with cache read: 500 x 2 + 1500 x 0.5 + 100 x 8", () => {
    const usage = normalizeOpenAiUsage({ prompt_tokens: 2000, completion_tokens: 100, prompt_tokens_details: { cached_tokens: 1500 } });
    expect(costMicros(usage, catalogPrice("openai", "gpt-4.1"))).toBe(2_550);
  });

  it("Azure prices its own cached rate: 1000 x 0.1 + 1000 x 0.03", () => {
    const usage = normalizeOpenAiUsage({ prompt_tokens: 2000, completion_tokens: 0, prompt_tokens_details: { cached_tokens: 1000 } });
    expect(costMicros(usage, catalogPrice("azure-openai", "gpt-4.1-nano"))).toBe(130);
  });

  it("DeepSeek hit/miss: 200 x 0.3 + 800 x 0.006 + 100 x 1.2 = 184.8, rounded to 185", () => {
    const usage = normalizeOpenAiUsage({ prompt_cache_hit_tokens: 800, prompt_cache_miss_tokens: 200, completion_tokens: 100 });
    expect(costMicros(usage, catalogPrice("deepseek", "deepseek-chat"))).toBe(185);
  });

  it("Anthropic cache write: 21 x 3 + 188086 x 3.75 + 393 x 15 = 711280.5, rounded half up", () => {
    const usage = normalizeAnthropicUsage({ input_tokens: 21, output_tokens: 393, cache_creation_input_tokens: 188086, cache_read_input_tokens: 0 });
    expect(costMicros(usage, catalogPrice("anthropic", "claude-sonnet-4-5"))).toBe(711_281);
  });

  it("Anthropic cache read: 21 x 3 + 188086 x 0.3 + 393 x 15 = 62383.8", () => {
    const usage = normalizeAnthropicUsage({ input_tokens: 21, output_tokens: 393, cache_creation_input_tokens: 0, cache_read_input_tokens: 188086 });
    expect(costMicros(usage, sonnet)).toBe(62_384);
  });

  it("Bedrock Converse read + write: 100 x 1 + 1000 x 0.1 + 2000 x 1.25 + 50 x 5", () => {
    const usage = normalizeBedrockUsage({ inputTokens: 100, outputTokens: 50, cacheReadInputTokens: 1000, cacheWriteInputTokens: 2000 });
    expect(costMicros(usage, catalogPrice("bedrock", "global.anthropic.claude-haiku-4-5-20251001-v1:0"))).toBe(2_950);
  });

  it("Gemini cached content and thoughts: 6000 x 1.25 + 4000 x 0.125 + 2000 x 10", () => {
    const usage = normalizeGeminiUsage({ promptTokenCount: 10000, cachedContentTokenCount: 4000, candidatesTokenCount: 500, thoughtsTokenCount: 1500 });
    expect(costMicros(usage, catalogPrice("gemini", "gemini-2.5-pro"))).toBe(28_000);
  });

  it("xAI reasoning left out of completion_tokens is still billed: 100 x 0.3 + 310 x 0.5", () => {
    const usage = normalizeOpenAiUsage({ prompt_tokens: 100, completion_tokens: 10, total_tokens: 410, completion_tokens_details: { reasoning_tokens: 300 } });
    expect(costMicros(usage, catalogPrice("xai", "grok-3-mini"))).toBe(185);
  });

  it("embeddings bill input only: 1M x 0.02", () => {
    const usage = { inputTokens: 1_000_000, outputTokens: 0, cachedReadTokens: 0, cachedWriteTokens: 0 };
    expect(costMicros(usage, catalogPrice("openai", "text-embedding-3-small"))).toBe(20_000);
  });

  it("bills cache tokens at the input price when the provider has no cache price", () => {
    const flat: ModelPrice = { input: 1, output: 2, cachedRead: null, cachedWrite: null };
    expect(costMicros({ inputTokens: 10, outputTokens: 0, cachedReadTokens: 20, cachedWriteTokens: 30 }, flat)).toBe(60);
  });
});

describe("tiered prices", () => {
  it("bills a prompt of exactly the threshold at base rates: 200000 x 1.25 + 1000 x 10", () => {
    expect(costMicros({ inputTokens: 200_000, outputTokens: 1_000, cachedReadTokens: 0, cachedWriteTokens: 0 }, geminiPro)).toBe(260_000);
  });

  it("bills every token of a longer prompt at the tier: 250000 x 2.5 + 1000 x 15", () => {
    expect(costMicros({ inputTokens: 250_000, outputTokens: 1_000, cachedReadTokens: 0, cachedWriteTokens: 0 }, geminiPro)).toBe(640_000);
  });

  it("counts cached tokens toward the threshold: 150000 x 2.5 + 100000 x 0.25", () => {
    expect(costMicros({ inputTokens: 150_000, outputTokens: 0, cachedReadTokens: 100_000, cachedWriteTokens: 0 }, geminiPro)).toBe(400_000);
  });

  it("selects the highest tier passed", () => {
    const price: ModelPrice = {
      input: 1, output: 1, cachedRead: null, cachedWrite: null,
      tiers: [
        { aboveInputTokens: 10, input: 2, output: 2, cachedRead: null, cachedWrite: null },
        { aboveInputTokens: 20, input: 3, output: 3, cachedRead: null, cachedWrite: null },
      ],
    };
    expect(ratesForPrompt(price, 10).input).toBe(1);
    expect(ratesForPrompt(price, 11).input).toBe(2);
    expect(ratesForPrompt(price, 21).input).toBe(3);
  });
});

describe("streamed and non-streamed usage cost the same", () => {
  it("Anthropic: message_start + message_delta equals the final message usage", () => {
    const nonStreamed = { input_tokens: 2095, output_tokens: 503, cache_read_input_tokens: 1800, cache_creation_input_tokens: 0 };
    const streamed = mergeAnthropicStreamUsage(
      { input_tokens: 2095, output_tokens: 1, cache_read_input_tokens: 1800, cache_creation_input_tokens: 0 },
      { output_tokens: 503 },
    );
    const expected = 14_370; // 2095 x 3 + 1800 x 0.3 + 503 x 15
    expect(costMicros(normalizeAnthropicUsage(nonStreamed), sonnet)).toBe(expected);
    expect(costMicros(normalizeAnthropicUsage(streamed), sonnet)).toBe(expected);
  });

  it("OpenAI: the include_usage chunk equals the response usage", () => {
    const response = { prompt_tokens: 1200, completion_tokens: 80, total_tokens: 1280, prompt_tokens_details: { cached_tokens: 1024 } };
    const chunks = [{ usage: null }, { usage: null }, { usage: { ...response, completion_tokens_details: { reasoning_tokens: 0 } } }];
    const last = chunks.findLast((c) => c.usage !== null)?.usage;
    if (!last) throw new Error("stream carried no usage");
    const expected = 2_520; // 176 x 2.5 + 1024 x 1.25 + 80 x 10
    expect(costMicros(normalizeOpenAiUsage(response), gpt4o)).toBe(expected);
    expect(costMicros(normalizeOpenAiUsage(last), gpt4o)).toBe(expected);
  });

  it("Gemini: the last streamed usageMetadata equals the response's", () => {
    const final = { promptTokenCount: 10000, cachedContentTokenCount: 4000, candidatesTokenCount: 500, thoughtsTokenCount: 1500 };
    const streamed = [{ promptTokenCount: 10000, cachedContentTokenCount: 4000, thoughtsTokenCount: 1500 }, final];
    expect(costMicros(normalizeGeminiUsage(streamed.at(-1) ?? {}), geminiPro)).toBe(costMicros(normalizeGeminiUsage(final), geminiPro));
    expect(costMicros(normalizeGeminiUsage(final), geminiPro)).toBe(28_000);
  });
});

describe("maxCostMicros", () => {
  it("reserves prompt at input plus max output: 1000 x 2.5 + 500 x 10", () => {
    expect(maxCostMicros(1000, 500, gpt4o)).toBe(7_500);
  });

  it("reserves prompt at the cache-write price when it is higher: 1000 x 3.75 + 1000 x 15", () => {
    expect(maxCostMicros(1000, 1000, sonnet)).toBe(18_750);
  });

  it("reserves at the tier the prompt estimate falls in: 300000 x 2.5 + 8000 x 15", () => {
    expect(maxCostMicros(300_000, 8_000, geminiPro)).toBe(870_000);
  });

  it("is never below the actual cost of any split of the same prompt", () => {
    const prompt = 10_000;
    for (const price of [gpt4o, sonnet, geminiPro]) {
      const reserved = maxCostMicros(prompt, 2_000, price);
      for (const [read, write] of [[0, 0], [prompt, 0], [0, prompt], [3_000, 4_000]] as const) {
        const usage = { inputTokens: prompt - read - write, cachedReadTokens: read, cachedWriteTokens: write, outputTokens: 2_000 };
        expect(costMicros(usage, price)).toBeLessThanOrEqual(reserved);
      }
    }
  });
});

describe("input checks", () => {
  it("rejects negative or fractional token counts", () => {
    expect(() => costMicros({ inputTokens: -1, outputTokens: 0, cachedReadTokens: 0, cachedWriteTokens: 0 }, gpt4o)).toThrow(RangeError);
    expect(() => costMicros({ inputTokens: 1.5, outputTokens: 0, cachedReadTokens: 0, cachedWriteTokens: 0 }, gpt4o)).toThrow(RangeError);
    expect(() => maxCostMicros(10, Number.NaN, gpt4o)).toThrow(RangeError);
  });

  it("rounds exact halves up even where binary floating point lands just below them", () => {
    // 50 x 0.29 is 14.5 exactly; in floating point it is 14.499999999999998.
    const price: ModelPrice = { input: 0.29, output: null, cachedRead: null, cachedWrite: null };
    expect(costMicros({ inputTokens: 50, outputTokens: 0, cachedReadTokens: 0, cachedWriteTokens: 0 }, price)).toBe(15);
    expect(costMicros({ inputTokens: 49, outputTokens: 0, cachedReadTokens: 0, cachedWriteTokens: 0 }, price)).toBe(14); // 14.21
  });
});

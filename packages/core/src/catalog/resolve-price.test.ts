import { describe, expect, it } from "vitest";
import { resolvePrice } from "./resolve-price";
import type { PriceOverride } from "./schema";

const at = new Date("2026-11-29T12:00:00Z");
const discounted = (input: number, effectiveFrom: string): PriceOverride => ({
  provider: "openai", model: "gpt-4o",
  price: { input, output: 8, cachedRead: 1, cachedWrite: null },
  effectiveFrom: new Date(effectiveFrom),
});

describe("resolvePrice", () => {
  it("returns the catalog price when no override applies", () => {
    const resolved = resolvePrice("openai", "gpt-4o", at);
    expect(resolved?.origin).toBe("catalog");
    expect(resolved?.price).toMatchObject({ input: 2.5, output: 10, cachedRead: 1.25 });
  });

  it("picks the newest override already in effect", () => {
    const overrides = [discounted(2, "2026-01-01"), discounted(1.5, "2026-06-01"), discounted(1, "2027-01-01")];
    const resolved = resolvePrice("openai", "gpt-4o", at, overrides);
    expect(resolved?.origin).toBe("override");
    expect(resolved?.price.input).toBe(1.5);
    expect(resolved?.effectiveFrom?.toISOString()).toBe("2026-06-01T00:00:00.000Z");
  });

  it("falls back to the catalog before the first override takes effect", () => {
    const resolved = resolvePrice("openai", "gpt-4o", new Date("2025-12-31T23:59:59Z"), [discounted(2, "2026-01-01")]);
    expect(resolved?.origin).toBe("catalog");
  });

  it("applies an override to dated snapshots of the same model, but not to other models or providers", () => {
    const overrides = [discounted(2, "2026-01-01")];
    expect(resolvePrice("openai", "gpt-4o-2024-08-06", at, overrides)?.price.input).toBe(2);
    expect(resolvePrice("openai", "gpt-4o-mini", at, overrides)?.origin).toBe("catalog");
    expect(resolvePrice("azure-openai", "gpt-4o", at, overrides)?.origin).toBe("catalog");
  });

  it("limits an override naming one snapshot to that snapshot, and prefers it over a family override", () => {
    const pinned: PriceOverride = { ...discounted(5, "2025-01-01"), model: "gpt-4o-2024-05-13" };
    const family = discounted(2, "2026-01-01");
    expect(resolvePrice("openai", "gpt-4o-2024-05-13", at, [pinned, family])?.price.input).toBe(5);
    expect(resolvePrice("openai", "gpt-4o-2024-08-06", at, [pinned, family])?.price.input).toBe(2);
    expect(resolvePrice("openai", "gpt-4o-2024-08-06", at, [pinned])?.origin).toBe("catalog");
  });

  it("prices models the catalog does not know only through overrides", () => {
    const local: PriceOverride = {
      provider: "vllm", model: "Qwen/Qwen3-8B",
      price: { input: 0.01, output: 0.02, cachedRead: null, cachedWrite: null },
      effectiveFrom: new Date("2026-01-01"),
    };
    expect(resolvePrice("vllm", "qwen/qwen3-8b", at, [local])?.price.input).toBe(0.01);
    expect(resolvePrice("vllm", "qwen/qwen3-8b", at)).toBeUndefined();
  });

  it("prices install entries like catalog entries", () => {
    const local = {
      provider: "ollama" as const, model: "llama3.1:8b", mode: "chat" as const, contextWindow: 131_072, maxOutputTokens: 8_192,
      price: { input: 0.02, output: 0.04, cachedRead: null, cachedWrite: null },
      source: "https://ollama.com/library/llama3.1", asOf: "2026-11-29", verified: false, notes: "internal cost",
    };
    expect(resolvePrice("ollama", "llama3.1:8b", at, [], [local])).toMatchObject({ origin: "catalog", entry: local, price: local.price });
  });

  it("adds Bedrock's regional premium except on global profiles", () => {
    const id = "anthropic.claude-haiku-4-5-20251001-v1:0";
    expect(resolvePrice("bedrock", `global.${id}`, at)?.price).toMatchObject({ input: 1, output: 5, cachedRead: 0.1, cachedWrite: 1.25 });
    expect(resolvePrice("bedrock", `us.${id}`, at)?.price).toMatchObject({ input: 1.1, output: 5.5, cachedRead: 0.11, cachedWrite: 1.375 });
    expect(resolvePrice("bedrock", id, at)?.price.input).toBe(1.1);
    // Models priced before the global/regional split carry no premium.
    expect(resolvePrice("bedrock", "us.amazon.nova-pro-v1:0", at)?.price.input).toBe(0.8);
  });
});

import { describe, expect, it } from "vitest";
import { modelCatalog } from "./model-catalog";
import { normalizeModelId, stripSnapshot } from "./model-id";
import { catalogProviders, pricedProviders } from "./provider-ids";
import { modelEntrySchema, type ModelEntry, type TokenRates } from "./schema";

function allRates(entry: ModelEntry): TokenRates[] {
  return [entry.price, ...(entry.price.tiers ?? [])];
}

describe("model catalog data", () => {
  it("every entry satisfies modelEntrySchema", () => {
    const failures = modelCatalog
      .map((entry) => ({ entry, result: modelEntrySchema.safeParse(entry) }))
      .filter(({ result }) => !result.success)
      .map(({ entry, result }) => `${entry.provider}/${entry.model}: ${result.error?.message}`);
    expect(failures).toEqual([]);
  });

  it("has no negative prices and never prices a cache read above input", () => {
    for (const entry of modelCatalog) {
      for (const rates of allRates(entry)) {
        for (const value of [rates.input, rates.output, rates.cachedRead, rates.cachedWrite]) {
          if (value !== null) expect(value, `${entry.provider}/${entry.model}`).toBeGreaterThanOrEqual(0);
        }
        if (rates.cachedRead !== null) expect(rates.cachedRead, entry.model).toBeLessThanOrEqual(rates.input);
      }
    }
  });

  it("has one entry per (provider, model)", () => {
    const keys = modelCatalog.map((e) => `${e.provider}/${e.model.toLowerCase()}`);
    expect(keys.length).toBe(new Set(keys).size);
  });

  it("never lets two entries of a provider claim the same id, alias or snapshot family", () => {
    const owners = new Map<string, string>();
    const clashes: string[] = [];
    for (const entry of modelCatalog) {
      const ids = [entry.model, ...(entry.aliases ?? [])].map((id) => normalizeModelId(entry.provider, id).id);
      const keys = new Set([...ids, ...ids.map(stripSnapshot)]);
      for (const key of keys) {
        const owner = owners.get(`${entry.provider}/${key}`);
        if (owner !== undefined && owner !== entry.model) clashes.push(`${entry.provider}/${key}: ${owner} vs ${entry.model}`);
        owners.set(`${entry.provider}/${key}`, entry.model);
      }
    }
    expect(clashes).toEqual([]);
  });

  it("ships prices for every priced provider, and only for known providers", () => {
    const present = new Set(modelCatalog.map((e) => e.provider));
    for (const provider of pricedProviders) expect(present, provider).toContain(provider);
    for (const provider of present) expect(catalogProviders).toContain(provider);
  });

  it("gives every priced provider at least one chat model", () => {
    for (const provider of pricedProviders) {
      const chat = modelCatalog.filter((e) => e.provider === provider && e.mode === "chat");
      expect(chat.length, provider).toBeGreaterThan(0);
    }
  });

  it("explains every unverified entry", () => {
    const silent = modelCatalog.filter((e) => !e.verified && !e.notes).map((e) => `${e.provider}/${e.model}`);
    expect(silent).toEqual([]);
  });
});

describe("modelEntrySchema", () => {
  const valid: ModelEntry = {
    provider: "openai", model: "example", mode: "chat", contextWindow: 1000, maxOutputTokens: 100,
    price: { input: 1, output: 2, cachedRead: 0.5, cachedWrite: null },
    source: "https://example.com/pricing", asOf: "2026-11-29", verified: true,
  };

  it("accepts a well-formed entry", () => {
    expect(modelEntrySchema.safeParse(valid).success).toBe(true);
  });

  it("rejects a cache read priced above input", () => {
    const bad = { ...valid, price: { ...valid.price, cachedRead: 1.5 } };
    expect(modelEntrySchema.safeParse(bad).success).toBe(false);
  });

  it("rejects negative prices, unknown providers and chat models without an output limit", () => {
    expect(modelEntrySchema.safeParse({ ...valid, price: { ...valid.price, input: -1 } }).success).toBe(false);
    expect(modelEntrySchema.safeParse({ ...valid, provider: "acme" }).success).toBe(false);
    expect(modelEntrySchema.safeParse({ ...valid, maxOutputTokens: null }).success).toBe(false);
  });

  it("rejects tiers that do not ascend", () => {
    const tier = { input: 2, output: 4, cachedRead: null, cachedWrite: null };
    const price = { ...valid.price, tiers: [{ ...tier, aboveInputTokens: 200_000 }, { ...tier, aboveInputTokens: 100_000 }] };
    expect(modelEntrySchema.safeParse({ ...valid, price }).success).toBe(false);
  });
});

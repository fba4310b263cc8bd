import { describe, expect, it } from "vitest";
import { resolvePrice, type CompiledPrice } from "@portcullis/core";
import { buildSnapshot } from "../testing/harness";
import { priceFor } from "./pricing";

const day = 86_400_000;
const t0 = Date.UTC(2026, 0, 1);
const override = (model: string, input: number, effectiveFrom: number, provider = "openai"): CompiledPrice => ({
  provider, model, inputPerMTok: input, outputPerMTok: input * 4, cacheReadPerMTok: null, cacheWritePerMTok: null, effectiveFrom,
});

describe("priceFor", () => {
  const snapshot = buildSnapshot([], [], {
    prices: [override("gpt-4o", 1, t0 + 10 * day), override("gpt-4o", 2, t0 + 20 * day), override("gpt-4o", 9, t0 + 15 * day, "anthropic")],
  });

  it("answers like resolvePrice at every instant, whichever order time is asked in (answers are cached per snapshot)", () => {
    const instants = [t0, t0 + 10 * day - 1, t0 + 10 * day, t0 + 15 * day, t0 + 20 * day - 1, t0 + 20 * day, t0 + 30 * day, t0 + 5 * day, t0 + 12 * day, t0 + 10 * day - 1, t0 + 25 * day];
    for (const at of instants) {
      const expected = resolvePrice("openai", "gpt-4o", new Date(at), snapshot.prices.filter((p) => p.provider === "openai").map((p) => ({
        provider: "openai" as const, model: p.model, effectiveFrom: new Date(p.effectiveFrom),
        price: { input: p.inputPerMTok, output: p.outputPerMTok, cachedRead: p.cacheReadPerMTok, cachedWrite: p.cacheWritePerMTok },
      })));
      expect(priceFor(snapshot, "openai", "gpt-4o", at)?.price).toEqual(expected?.price);
    }
    expect(priceFor(snapshot, "openai", "gpt-4o", t0 + 10 * day - 1)?.price.input).not.toBe(1);
    expect(priceFor(snapshot, "openai", "gpt-4o", t0 + 10 * day)?.price.input).toBe(1);
    expect(priceFor(snapshot, "openai", "gpt-4o", t0 + 20 * day)?.price.input).toBe(2);
    expect(priceFor(snapshot, "openai", "gpt-4o", t0 + 19 * day)?.price.input).toBe(1);
  });

  it("keeps models and snapshots apart, and knows nothing of unknown provider types", () => {
    expect(priceFor(snapshot, "openai", "gpt-4o-mini", t0 + 20 * day)?.price.input).not.toBe(2);
    const other = buildSnapshot([], [], { prices: [override("gpt-4o", 7, t0)] });
    expect(priceFor(other, "openai", "gpt-4o", t0 + 20 * day)?.price.input).toBe(7);
    expect(priceFor(snapshot, "openai", "gpt-4o", t0 + 20 * day)?.price.input).toBe(2);
    expect(priceFor(snapshot, "no-such-type", "gpt-4o", t0)).toBeUndefined();
  });
});

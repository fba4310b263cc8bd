import type { ModelPrice, TokenRates } from "@portcullis/core";
import type { NormalizedUsage } from "./cost-usage";

/**
 * Money is integer micro-USD (1 USD = 1,000,000). Catalog rates are USD per 1M tokens,
 * which is numerically micro-USD per token, so cost = sum(tokens x rate). To round once
 * and exactly, each rate is scaled to integer pico-USD per token (exact for rates with
 * up to six decimals; finer rates are rounded at 1e-12 USD per token), the products are
 * summed as BigInt, and the total is rounded half-up to whole micro-USD at the end.
 */
const PICO_PER_MICRO = 1_000_000n;

function picoPerToken(usdPerMillion: number): bigint {
  return BigInt(Math.round(usdPerMillion * 1_000_000));
}

function roundToMicros(pico: bigint): number {
  return Number((pico + PICO_PER_MICRO / 2n) / PICO_PER_MICRO);
}

function tokens(value: number, field: string): bigint {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${field} must be a non-negative integer, got ${value}`);
  }
  return BigInt(value);
}

/**
 * The rates a request pays: the highest tier whose threshold its prompt exceeds, else the
 * base rates. Tiered providers bill every token of such a request at the tier's rates.
 */
export function ratesForPrompt(price: ModelPrice, promptTokens: number): TokenRates {
  let rates: TokenRates = price;
  for (const tier of price.tiers ?? []) {
    if (promptTokens > tier.aboveInputTokens) rates = tier;
  }
  return rates;
}

/**
 * Actual cost of one request in integer micro-USD. A missing cache-read or cache-write
 * price bills those tokens at the input price; a missing output price bills nothing.
 */
export function costMicros(usage: NormalizedUsage, price: ModelPrice): number {
  const input = tokens(usage.inputTokens, "inputTokens");
  const cachedRead = tokens(usage.cachedReadTokens, "cachedReadTokens");
  const cachedWrite = tokens(usage.cachedWriteTokens, "cachedWriteTokens");
  const output = tokens(usage.outputTokens, "outputTokens");
  const rates = ratesForPrompt(price, usage.inputTokens + usage.cachedReadTokens + usage.cachedWriteTokens);
  const pico =
    input * picoPerToken(rates.input) +
    cachedRead * picoPerToken(rates.cachedRead ?? rates.input) +
    cachedWrite * picoPerToken(rates.cachedWrite ?? rates.input) +
    output * picoPerToken(rates.output ?? 0);
  return roundToMicros(pico);
}

/**
 * The reservation taken before a request runs, in integer micro-USD: every prompt token
 * at the input price (or the cache-write price when that is higher, since the prompt
 * may be written to cache) plus `maxOutputTokens` at the output price, at the tier the
 * prompt estimate falls in. For a prompt no larger than the estimate and output within
 * the limit, no split into fresh, cached and cache-written tokens costs more (cache reads
 * never exceed input), so settlement only ever releases money.
 */
export function maxCostMicros(promptTokenEstimate: number, maxOutputTokens: number, price: ModelPrice): number {
  const prompt = tokens(promptTokenEstimate, "promptTokenEstimate");
  const output = tokens(maxOutputTokens, "maxOutputTokens");
  const rates = ratesForPrompt(price, promptTokenEstimate);
  const promptRate = Math.max(rates.input, rates.cachedWrite ?? 0);
  return roundToMicros(prompt * picoPerToken(promptRate) + output * picoPerToken(rates.output ?? 0));
}

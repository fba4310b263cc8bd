import { findModel } from "./find-model";
import { normalizeModelId } from "./model-id";
import type { CatalogProvider } from "./provider-ids";
import type { ModelEntry, ModelPrice, PriceOverride, TokenRates } from "./schema";

export interface ResolvedPrice {
  price: ModelPrice;
  origin: "override" | "catalog";
  /** The catalog entry the model resolved to, when there is one. */
  entry?: ModelEntry;
  /** For an override: when it took effect. */
  effectiveFrom?: Date;
}

/** Normalized ids under which a catalog entry is known (its id and aliases, not its snapshots). */
function namesOf(entry: ModelEntry): string[] {
  return [entry.model, ...(entry.aliases ?? [])].map((name) => normalizeModelId(entry.provider, name).id);
}

function newest(overrides: PriceOverride[]): PriceOverride | undefined {
  return overrides.reduce<PriceOverride | undefined>(
    (best, o) => (best && best.effectiveFrom.getTime() >= o.effectiveFrom.getTime() ? best : o),
    undefined,
  );
}

/**
 * Overrides in force at `at` for this request. One naming the requested id exactly wins
 * over one naming the model's catalog entry (which covers every dated snapshot of it);
 * within each kind the newest effectiveFrom wins.
 */
function chooseOverride(
  provider: CatalogProvider,
  model: string,
  entry: ModelEntry | undefined,
  at: Date,
  overrides: readonly PriceOverride[],
): PriceOverride | undefined {
  const id = normalizeModelId(provider, model).id;
  const familyNames = entry ? namesOf(entry) : [];
  const inForce = overrides.filter((o) => o.provider === provider && o.effectiveFrom.getTime() <= at.getTime());
  const exact = inForce.filter((o) => normalizeModelId(provider, o.model).id === id);
  const family = inForce.filter((o) => familyNames.includes(normalizeModelId(provider, o.model).id));
  return newest(exact) ?? newest(family);
}

// Keep sums like 3 * 1.1 tidy: prices carry at most nine decimals.
const scale = (value: number, factor: number) => Math.round(value * factor * 1e9) / 1e9;
const scaleNullable = (value: number | null, factor: number) => (value === null ? null : scale(value, factor));

function scaleRates<T extends TokenRates>(rates: T, factor: number): T {
  return {
    ...rates,
    input: scale(rates.input, factor),
    output: scaleNullable(rates.output, factor),
    cachedRead: scaleNullable(rates.cachedRead, factor),
    cachedWrite: scaleNullable(rates.cachedWrite, factor),
  };
}

function catalogPrice(entry: ModelEntry, provider: CatalogProvider, model: string): ModelPrice {
  const premium = entry.regionalPremium;
  if (premium === undefined || normalizeModelId(provider, model).globalProfile) return entry.price;
  const factor = 1 + premium;
  const scaled = scaleRates(entry.price, factor);
  return entry.price.tiers ? { ...scaled, tiers: entry.price.tiers.map((t) => scaleRates(t, factor)) } : scaled;
}

/**
 * The price in force for `model` at `at`: the install override in force (see
 * chooseOverride), else the catalog list price (with Bedrock's regional
 * premium when the request did not use a `global.` profile). Overrides apply as given.
 * `installEntries` are the install's own model entries (see findModel), priced like catalog ones.
 * Undefined when nothing knows the model: the caller decides whether that is free or denied.
 */
export function resolvePrice(
  provider: CatalogProvider,
  model: string,
  at: Date,
  overrides: readonly PriceOverride[] = [],
  installEntries?: readonly ModelEntry[],
): ResolvedPrice | undefined {
  const entry = findModel(provider, model, installEntries);
  const chosen = chooseOverride(provider, model, entry, at, overrides);
  if (chosen) return { price: chosen.price, origin: "override", effectiveFrom: chosen.effectiveFrom, entry };
  if (!entry) return undefined;
  return { price: catalogPrice(entry, provider, model), origin: "catalog", entry };
}

import { resolvePrice, type CatalogProvider, type ConfigSnapshot, type ModelPrice, type PriceOverride } from "@portcullis/core";
import { isProviderType } from "@portcullis/providers";

const overridesCache = new WeakMap<ConfigSnapshot, PriceOverride[]>();

function overridesOf(snapshot: ConfigSnapshot): PriceOverride[] {
  let o = overridesCache.get(snapshot);
  if (!o) {
    o = snapshot.prices
      .filter((p) => isProviderType(p.provider))
      .map((p) => ({
        provider: p.provider as CatalogProvider,
        model: p.model,
        effectiveFrom: new Date(p.effectiveFrom),
        price: { input: p.inputPerMTok, output: p.outputPerMTok, cachedRead: p.cacheReadPerMTok, cachedWrite: p.cacheWritePerMTok },
      }));
    overridesCache.set(snapshot, o);
  }
  return o;
}

export interface PriceInfo {
  price: ModelPrice;
  /** The model's output limit, when the catalog knows it (bounds the reservation without max_tokens). */
  maxOutputTokens?: number;
}

/** The price in force for (provider type, model) at `at`: install override, else catalog; undefined if unknown. */
export function priceFor(snapshot: ConfigSnapshot, providerType: string, model: string, at: number): PriceInfo | undefined {
  if (!isProviderType(providerType)) return undefined;
  const r = resolvePrice(providerType, model, new Date(at), overridesOf(snapshot));
  if (!r) return undefined;
  return { price: r.price, ...(r.entry?.maxOutputTokens ? { maxOutputTokens: r.entry.maxOutputTokens } : {}) };
}

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

interface CachedPrice {
  info: PriceInfo | undefined;
  /** The answer holds for `from <= at < until`: no override of this provider takes effect in between. */
  from: number;
  until: number;
}

const priceCache = new WeakMap<ConfigSnapshot, Map<string, CachedPrice>>();
/** Models are client-named (any model behind an explicitly named provider): keep the cache bounded. */
const maxCachedPrices = 1000;

/** The price in force for (provider type, model) at `at`: install override, else catalog; undefined if unknown. */
export function priceFor(snapshot: ConfigSnapshot, providerType: string, model: string, at: number): PriceInfo | undefined {
  if (!isProviderType(providerType)) return undefined;
  let cache = priceCache.get(snapshot);
  if (!cache) priceCache.set(snapshot, (cache = new Map()));
  const cacheKey = `${providerType}\u0000${model}`;
  const hit = cache.get(cacheKey);
  if (hit && hit.from <= at && at < hit.until) return hit.info;
  const overrides = overridesOf(snapshot);
  const r = resolvePrice(providerType, model, new Date(at), overrides);
  const info = r ? { price: r.price, ...(r.entry?.maxOutputTokens ? { maxOutputTokens: r.entry.maxOutputTokens } : {}) } : undefined;
  let from = -Infinity;
  let until = Infinity;
  for (const o of overrides) {
    if (o.provider !== providerType) continue;
    const t = o.effectiveFrom.getTime();
    if (t <= at) from = Math.max(from, t);
    else until = Math.min(until, t);
  }
  if (cache.size >= maxCachedPrices) cache.clear();
  cache.set(cacheKey, { info, from, until });
  return info;
}

export { catalogProviders, pricedProviders, type CatalogProvider } from "./provider-ids";
export {
  catalogProviderSchema, modelEntrySchema, modelPriceSchema, priceOverrideSchema, priceTierSchema, tokenRatesSchema,
  type ModelEntry, type ModelPrice, type PriceOverride, type PriceTier, type TokenRates,
} from "./schema";
export { modelCatalog } from "./model-catalog";
export { normalizeModelId, stripSnapshot, type NormalizedModelId } from "./model-id";
export { findModel } from "./find-model";
export { resolvePrice, type ResolvedPrice } from "./resolve-price";

import { modelCatalog } from "./model-catalog";
import { normalizeModelId, stripSnapshot } from "./model-id";
import type { CatalogProvider } from "./provider-ids";
import type { ModelEntry } from "./schema";

interface ProviderIndex {
  exact: Map<string, ModelEntry>;
  alias: Map<string, ModelEntry>;
  family: Map<string, ModelEntry>;
}
type CatalogIndex = Map<CatalogProvider, ProviderIndex>;

// Built once per entry list: the lookup runs on every request.
const indexes = new WeakMap<readonly ModelEntry[], CatalogIndex>();

function setFirst(map: Map<string, ModelEntry>, key: string, entry: ModelEntry): void {
  if (!map.has(key)) map.set(key, entry);
}

function buildIndex(entries: readonly ModelEntry[]): CatalogIndex {
  const index: CatalogIndex = new Map();
  for (const entry of entries) {
    let byProvider = index.get(entry.provider);
    if (!byProvider) {
      byProvider = { exact: new Map(), alias: new Map(), family: new Map() };
      index.set(entry.provider, byProvider);
    }
    const model = normalizeModelId(entry.provider, entry.model).id;
    const aliases = (entry.aliases ?? []).map((a) => normalizeModelId(entry.provider, a).id);
    setFirst(byProvider.exact, model, entry);
    for (const alias of aliases) setFirst(byProvider.alias, alias, entry);
    for (const key of [model, ...aliases]) setFirst(byProvider.family, stripSnapshot(key), entry);
  }
  return index;
}

function indexFor(entries: readonly ModelEntry[]): CatalogIndex {
  let index = indexes.get(entries);
  if (!index) {
    index = buildIndex(entries);
    indexes.set(entries, index);
  }
  return index;
}

function providerIndex(entries: readonly ModelEntry[] | undefined, provider: CatalogProvider): ProviderIndex | undefined {
  return entries ? indexFor(entries).get(provider) : undefined;
}

/**
 * The catalog entry for a model as a provider's API names it. Tried in order, install
 * entries before the built-in catalog at each step: the exact id, a known alias, the
 * family root (gpt-4o-2024-08-06 -> the entry named gpt-4o), then any entry of the same
 * family. An entry pinned to one snapshot therefore never captures a sibling snapshot
 * that the catalog prices under the family name. Bedrock inference-profile prefixes and
 * ARNs, and Gemini/Vertex resource paths, are ignored. `overrides` are entries an install
 * defines (fine-tunes, self-hosted models, corrected limits).
 */
export function findModel(
  provider: CatalogProvider,
  model: string,
  overrides?: readonly ModelEntry[],
): ModelEntry | undefined {
  const { id } = normalizeModelId(provider, model);
  if (id.length === 0) return undefined;
  const indexes = [providerIndex(overrides, provider), providerIndex(modelCatalog, provider)];
  const root = stripSnapshot(id);
  const steps: Array<(index: ProviderIndex) => ModelEntry | undefined> = [
    (index) => index.exact.get(id),
    (index) => index.alias.get(id),
    (index) => index.exact.get(root) ?? index.alias.get(root),
    (index) => index.family.get(root),
  ];
  for (const step of steps) {
    for (const index of indexes) {
      const found = index && step(index);
      if (found) return found;
    }
  }
  return undefined;
}

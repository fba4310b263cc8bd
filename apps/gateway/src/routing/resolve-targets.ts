import { PortcullisError, findModel, type CompiledKey, type CompiledProvider, type CompiledProviderKey, type ConfigSnapshot } from "@portcullis/core";
import { authorizeModel, type Denial } from "@portcullis/policy";
import { isProviderType } from "@portcullis/providers";

/** One place a request can go: a provider key (deployment/credential) and the model there. */
export interface ResolvedTarget {
  provider: CompiledProvider;
  providerKey: CompiledProviderKey;
  /** The model as the client named it after alias and provider-prefix resolution. */
  model: string;
  /** The model or deployment the upstream is called with. */
  upstreamModel: string;
}

/** Lookups derived from an immutable snapshot, built once per snapshot instead of scanning it per request. */
export interface SnapshotIndex {
  /** The first provider of each name, in the snapshot's order. */
  providerByName: Map<string, CompiledProvider>;
  /** Provider keys with their provider, per environment, in the snapshot's order. */
  keysByEnvironment: Map<string, Array<{ pk: CompiledProviderKey; provider: CompiledProvider }>>;
  /** Every provider key of a provider id, in the snapshot's order. */
  keysByProvider: Map<string, CompiledProviderKey[]>;
}

const indexes = new WeakMap<ConfigSnapshot, SnapshotIndex>();

const push = <K, V>(m: Map<K, V[]>, k: K, v: V) => {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
};

export function snapshotIndex(snapshot: ConfigSnapshot): SnapshotIndex {
  let index = indexes.get(snapshot);
  if (!index) {
    const providerByName: SnapshotIndex["providerByName"] = new Map();
    for (const p of Object.values(snapshot.providers)) if (!providerByName.has(p.name)) providerByName.set(p.name, p);
    const keysByEnvironment: SnapshotIndex["keysByEnvironment"] = new Map();
    const keysByProvider: SnapshotIndex["keysByProvider"] = new Map();
    for (const pk of Object.values(snapshot.providerKeys)) {
      push(keysByProvider, pk.providerId, pk);
      const provider = snapshot.providers[pk.providerId];
      if (provider) push(keysByEnvironment, pk.environment, { pk, provider });
    }
    index = { providerByName, keysByEnvironment, keysByProvider };
    indexes.set(snapshot, index);
  }
  return index;
}

interface ModelRef {
  /** Provider name or type, when the client named one (`provider/model`). */
  provider?: string;
  model: string;
}

/** `gpt-default` (alias) -> `openai/gpt-4o`; `azure-eastus/gpt-4o` -> provider + model; else a bare model. */
export function parseModelRef(snapshot: ConfigSnapshot, requested: string): ModelRef {
  const alias = snapshot.aliases[requested];
  if (alias) return alias.provider ? { provider: alias.provider, model: alias.model } : { model: alias.model };
  const slash = requested.indexOf("/");
  if (slash > 0) {
    const head = requested.slice(0, slash);
    const known = isProviderType(head) || snapshotIndex(snapshot).providerByName.has(head);
    // `meta-llama/Llama-3.3-70B` is a model id of its own, not a provider prefix.
    if (known) return { provider: head, model: requested.slice(slash + 1) };
  }
  return { model: requested };
}

function serves(provider: CompiledProvider, pk: CompiledProviderKey, model: string, explicitProvider: boolean): boolean {
  if (pk.models.length) return pk.models.includes(model) || model in pk.deployments;
  // A key that lists no models serves its provider's catalog; named explicitly, anything.
  return explicitProvider || (isProviderType(provider.type) && findModel(provider.type, model) !== undefined);
}

/**
 * Every provider key the virtual key may send this model to: the key's environment
 * only (a dev key never reaches production credentials), its bindings when it has
 * any, and the provider/model allow-lists. Unknown model -> 404; known but not
 * allowed -> 403 naming the policy.
 */
export function resolveTargets(snapshot: ConfigSnapshot, key: CompiledKey, requested: string): ResolvedTarget[] {
  const ref = parseModelRef(snapshot, requested);
  const bound = key.providerKeyIds.length ? new Set(key.providerKeyIds) : undefined;
  const candidates: ResolvedTarget[] = [];
  for (const { pk, provider } of snapshotIndex(snapshot).keysByEnvironment.get(key.environment) ?? []) {
    if (bound && !bound.has(pk.id)) continue;
    if (ref.provider && ref.provider !== provider.name && ref.provider !== provider.type) continue;
    if (!serves(provider, pk, ref.model, ref.provider !== undefined)) continue;
    candidates.push({ provider, providerKey: pk, model: ref.model, upstreamModel: pk.deployments[ref.model] ?? ref.model });
  }
  if (candidates.length === 0) {
    throw new PortcullisError({
      code: "model_not_found",
      message: `model "${requested}" is not available: no provider key in the ${key.environment} environment serves it`,
      param: "model",
    });
  }
  let denial: Denial | undefined;
  const allowed = candidates.filter((t) => {
    const d = authorizeModel(key, t.provider, t.model);
    denial ??= d;
    return !d;
  });
  if (allowed.length === 0) throw new PortcullisError({ code: denial!.code, message: denial!.message, param: "model" });
  return allowed;
}

/** Weighted random choice (weights from provider keys; weight 0 only when nothing else is left). */
export function chooseWeighted<T extends { providerKey: { weight: number } }>(targets: readonly T[], random: () => number = Math.random): T {
  const total = targets.reduce((s, t) => s + Math.max(0, t.providerKey.weight), 0);
  if (total <= 0) return targets[0]!;
  let r = random() * total;
  for (const t of targets) {
    r -= Math.max(0, t.providerKey.weight);
    if (r < 0) return t;
  }
  return targets[targets.length - 1]!;
}

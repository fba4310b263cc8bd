import {
  hashVirtualKey, type CompiledKey, type CompiledProvider, type CompiledProviderKey, type ConfigSnapshot,
} from "@portcullis/core";
import { createConfigHolder, createMemoryBus } from "@portcullis/config-sync";
import { createMemoryCounters, type Counters } from "@portcullis/counters";
import { createMemorySink } from "../events";
import { startGateway, type RunningGateway, type StartGatewayOptions } from "../start";

/** Test-only: a gateway on a free port over a hand-built snapshot. */
export const testPepper = "test-pepper-0123456789abcdef0123456789";

export interface TestProvider {
  name: string;
  type: string;
  baseUrl?: string;
  region?: string;
  apiVersion?: string;
  project?: string;
  credential: string;
  models?: string[];
  deployments?: Record<string, string>;
  environment?: "dev" | "staging" | "prod";
  weight?: number;
}

export interface TestKey extends Partial<Omit<CompiledKey, "id" | "prefix">> {
  plaintext: string;
  id?: string;
}

export function buildSnapshot(providers: TestProvider[], keys: TestKey[], extra: Partial<ConfigSnapshot> = {}): ConfigSnapshot {
  const s: ConfigSnapshot = {
    version: "1", compiledAt: new Date(0).toISOString(), keys: {}, providers: {}, providerKeys: {}, teams: {}, customers: {},
    budgets: {}, rateLimits: {}, prices: [], aliases: {}, routingRules: [], tenantPolicies: [], ...extra,
  };
  providers.forEach((p, i) => {
    const provider: CompiledProvider = {
      id: `prv_${i}`, name: p.name, type: p.type, baseUrl: p.baseUrl ?? null, region: p.region ?? null,
      apiVersion: p.apiVersion ?? null, project: p.project ?? null, headers: {},
    };
    const pk: CompiledProviderKey = {
      id: `pk_${i}`, name: "main", providerId: provider.id, environment: p.environment ?? "prod", credential: p.credential,
      models: p.models ?? [], deployments: p.deployments ?? {}, weight: p.weight ?? 1, region: null,
    };
    s.providers[provider.id] = provider;
    s.providerKeys[pk.id] = pk;
  });
  keys.forEach((k, i) => {
    const { plaintext, ...rest } = k;
    s.keys[hashVirtualKey(testPepper, plaintext)] = {
      id: `vk_${i}`, name: `key-${i}`, prefix: plaintext.slice(0, 10), status: "active", expiresAt: null, graceExpiresAt: null,
      teamId: null, customerId: null, environment: "prod", allowedProviders: ["*"], allowedModels: ["*"], blockedModels: [],
      allowedEndpoints: ["*"], ipAllowList: [], metadata: {}, providerKeyIds: [], ...rest,
    };
  });
  return s;
}

export interface TestGateway extends RunningGateway {
  sink: ReturnType<typeof createMemorySink>;
  counters: Counters;
  setSnapshot(s: ConfigSnapshot): void;
}

export async function startTestGateway(snapshot: ConfigSnapshot, opts: Partial<StartGatewayOptions> = {}): Promise<TestGateway> {
  const sink = createMemorySink();
  const counters = opts.counters ?? createMemoryCounters();
  const config = createConfigHolder(snapshot);
  const gw = await startGateway({
    port: 0, host: "127.0.0.1", nodeName: "test", maxBodyBytes: 1024 * 1024, bus: createMemoryBus(), config, pepper: testPepper,
    counters, events: sink, defaultMetrics: false, upstreamTimeoutMs: 5_000, ...opts,
  });
  return { ...gw, sink, counters, setSnapshot: (s) => config.swap(s) };
}

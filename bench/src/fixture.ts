import { generateVirtualKey, hashVirtualKey, type CompiledProvider, type CompiledProviderKey, type ConfigSnapshot } from "@portcullis/core";

/** The three upstreams the benchmark calls, each reached through its own model name. */
export interface UpstreamPorts {
  /** The OpenAI simulator, no added latency: the latency points. */
  openai: number;
  /** A second OpenAI simulator pacing its SSE events: the streaming runs. */
  stream: number;
  /** The minimal fixed-response upstream: the throughput runs. */
  fixed: number;
}

export type UpstreamName = keyof UpstreamPorts;

/** Model the gateway routes to each upstream (one provider key serves each). */
export const upstreamModel: Record<UpstreamName, string> = { openai: "gpt-4o-mini", stream: "gpt-4o", fixed: "gpt-4.1" };

/** What the simulators accept and what the gateway's provider keys resolve (`env://BENCH_UPSTREAM_KEY`). */
export const upstreamApiKey = "sk-bench-upstream";

export interface BenchFixture {
  snapshot: ConfigSnapshot;
  /** The virtual key clients present to the gateway. */
  virtualKey: string;
}

/**
 * A governed configuration: the key belongs to a team of a customer, with an RPM/TPM
 * limit on the key and a monthly budget on the team, set so high that nothing is ever
 * denied. The governance path thus does all of its work (both windows, a reservation
 * and its settlement at two budget levels' worth of scopes) on every request.
 */
export function buildBenchFixture(pepper: string, ports: UpstreamPorts): BenchFixture {
  const virtualKey = generateVirtualKey();
  const providers: Record<string, CompiledProvider> = {};
  const providerKeys: Record<string, CompiledProviderKey> = {};
  for (const name of Object.keys(ports) as UpstreamName[]) {
    const provider: CompiledProvider = {
      id: `prv_bench_${name}`, name: `bench-${name}`, type: "openai", baseUrl: `http://127.0.0.1:${ports[name]}/v1`,
      region: null, apiVersion: null, project: null, headers: {},
    };
    providers[provider.id] = provider;
    providerKeys[`pk_bench_${name}`] = {
      id: `pk_bench_${name}`, name: "main", providerId: provider.id, environment: "prod", credential: "env://BENCH_UPSTREAM_KEY",
      models: [upstreamModel[name]], deployments: {}, weight: 1, region: null,
    };
  }
  const snapshot: ConfigSnapshot = {
    version: "1",
    compiledAt: new Date().toISOString(),
    keys: {
      [hashVirtualKey(pepper, virtualKey)]: {
        id: "vk_bench", name: "bench", prefix: virtualKey.slice(0, 10), status: "active", expiresAt: null, graceExpiresAt: null,
        teamId: "team_bench", customerId: null, environment: "prod", allowedProviders: ["*"], allowedModels: ["*"], blockedModels: [],
        allowedEndpoints: ["*"], ipAllowList: [], metadata: { purpose: "benchmark" }, providerKeyIds: [],
      },
    },
    providers,
    providerKeys,
    teams: { team_bench: { id: "team_bench", slug: "bench", name: "Bench", customerId: "cus_bench" } },
    customers: { cus_bench: { id: "cus_bench", name: "Bench Inc" } },
    budgets: {
      "team:team_bench": [{
        id: "bud_bench", level: "team", scopeId: "team_bench", label: 'team "bench"', limitMicros: 1_000_000 * 1_000_000,
        period: "month", timeZone: "UTC", calendarAligned: true, periodStartMs: 0, softThresholdPct: 90, alertWebhookUrl: null,
      }],
    },
    rateLimits: {
      "virtual_key:vk_bench": [{
        id: "rl_bench", level: "virtual_key", scopeId: "vk_bench", label: 'key "bench"', rpm: 100_000_000, tpm: 1_000_000_000_000, windowSeconds: 60,
      }],
    },
    prices: [],
    aliases: {},
    routingRules: [],
    tenantPolicies: [],
  };
  return { snapshot, virtualKey };
}

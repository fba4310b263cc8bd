import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateVirtualKey, type CompiledBudget, type ConfigSnapshot } from "@portcullis/core";
import { createRedisCounters } from "@portcullis/counters";
import { startOpenAiSimulator, type SimulatorHandle } from "@portcullis/testkit";
import { buildSnapshot } from "../testing/harness";
import { startReplica, type Replica } from "./replicas";

/**
 * Two gateway processes share one Redis: budgets cannot be overshot and rate limits
 * are not multiplied by the replica count, under 500 concurrent requests.
 */
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
let sim: SimulatorHandle;
let replicas: Replica[] = [];
const run = randomUUID().slice(0, 8);
const key = generateVirtualKey();

beforeAll(async () => {
  sim = await startOpenAiSimulator({ apiKey: "sk-sim" });
});
afterAll(async () => {
  await Promise.all(replicas.map((r) => r.stop()));
  await sim?.close();
});

function budget(level: CompiledBudget["level"], scopeId: string, limitMicros: number): CompiledBudget {
  return {
    id: `bud_${level}_${run}`, level, scopeId, label: `${level} ${scopeId}`, limitMicros, period: "month", timeZone: "America/New_York",
    calendarAligned: true, periodStartMs: 0, softThresholdPct: 80, alertWebhookUrl: null,
  };
}

function snapshotWith(budgets: CompiledBudget[], rpm?: number): ConfigSnapshot {
  const s = buildSnapshot(
    [{ name: "oai", type: "openai", baseUrl: `${sim.url}/v1`, credential: "env://SIM_KEY", models: ["gpt-4o-mini"] }],
    [{ plaintext: key, teamId: "team_x", customerId: "cus_x", name: "shared" }],
    {
      teams: { team_x: { id: "team_x", slug: "x", name: "X", customerId: "cus_x" } },
      customers: { cus_x: { id: "cus_x", name: "Acme" } },
      prices: [{ provider: "openai", model: "gpt-4o-mini", inputPerMTok: 1000, outputPerMTok: 1000, cacheReadPerMTok: null, cacheWritePerMTok: null, effectiveFrom: 0 }],
    },
  );
  for (const b of budgets) s.budgets[`${b.level}:${b.scopeId}`] = [b];
  if (rpm) s.rateLimits["virtual_key:vk_0"] = [{ id: `rl_${run}`, level: "virtual_key", scopeId: "vk_0", label: "shared key", rpm, tpm: null, windowSeconds: 60 }];
  return s;
}

async function fire(n: number): Promise<number[]> {
  return Promise.all(
    Array.from({ length: n }, (_, i) =>
      fetch(`${replicas[i % replicas.length]!.url}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({ model: "oai/gpt-4o-mini", max_tokens: 20, messages: [{ role: "user", content: "count to ten please" }] }),
      }).then(async (r) => {
        await r.arrayBuffer();
        return r.status;
      }),
    ),
  );
}

describe("two gateway replicas sharing Redis", () => {
  it("500 concurrent requests never push recorded spend past any level's budget", async () => {
    // A reservation is ~30,000 micro-USD (prompt estimate + 20 output tokens at $0.001/token): ~50 fit at first.
    const budgets = [budget("customer", "cus_x", 1_700_000), budget("team", "team_x", 1_800_000), budget("virtual_key", "vk_0", 2_500_000)];
    const snapshot = snapshotWith(budgets);
    replicas = await Promise.all([0, 1].map(() => startReplica(snapshot, { REDIS_URL: redisUrl, SIM_KEY: "sk-sim" })));
    const statuses = await fire(500);
    const ok = statuses.filter((s) => s === 200).length;
    const histogram: Record<number, number> = {};
    for (const s of statuses) histogram[s] = (histogram[s] ?? 0) + 1;
    expect(histogram).toEqual({ 200: ok, 402: 500 - ok });
    expect(ok).toBeGreaterThanOrEqual(40);
    expect(ok).toBeLessThan(500);
    await expect.poll(() => replicas.reduce((n, r) => n + r.requests.length, 0), { timeout: 10_000 }).toBe(500);
    const logged = replicas.flatMap((r) => r.requests).filter((r) => r.outcome === "success");
    expect(logged.length).toBe(ok);
    // Both replicas served admitted requests: the test is about two processes, not one.
    expect(replicas.every((r) => r.requests.some((x) => x.outcome === "success"))).toBe(true);
    const recorded = logged.reduce((sum, r) => sum + r.costMicros, 0);
    const counters = createRedisCounters(redisUrl);
    await counters.ping();
    try {
      for (const b of budgets) {
        expect(recorded).toBeLessThanOrEqual(b.limitMicros);
        const spend = await counters.spend({ ...b, softThresholdPct: 80 }, Date.now());
        expect(spend.spentMicros).toBe(recorded);
        expect(spend.spentMicros).toBeLessThanOrEqual(b.limitMicros);
        expect(spend.reservedMicros).toBe(0);
      }
    } finally {
      await counters.close();
    }
    await Promise.all(replicas.map((r) => r.stop()));
    replicas = [];
  }, 120_000);

  it("admits exactly the rate limit across both replicas, not a multiple of it", async () => {
    replicas = await Promise.all([0, 1].map(() => startReplica(snapshotWith([], 40), { REDIS_URL: redisUrl, SIM_KEY: "sk-sim" })));
    const statuses = await fire(120);
    const histogram: Record<number, number> = {};
    for (const s of statuses) histogram[s] = (histogram[s] ?? 0) + 1;
    expect(histogram).toEqual({ 200: 40, 429: 80 });
    await Promise.all(replicas.map((r) => r.stop()));
    replicas = [];
  }, 120_000);
});

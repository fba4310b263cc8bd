import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countersSuite } from "./counters.suite";
import { createRedisCounters } from "./redis-counters";
import { admitRequest, budget, rate, t0 } from "./suite-fixtures";
import type { AdmitOk, Counters } from "./types";

const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const runPrefix = `pc:ctr:test:${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}:`;
let a: Redis;
let b: Redis;
let n = 0;

beforeAll(() => {
  a = new Redis(redisUrl);
  b = new Redis(redisUrl);
});

afterAll(async () => {
  let cursor = "0";
  do {
    const [next, keys] = await a.scan(cursor, "MATCH", `${runPrefix}*`, "COUNT", 1000);
    if (keys.length > 0) await a.del(...keys);
    cursor = next;
  } while (cursor !== "0");
  await Promise.all([a.quit(), b.quit()]);
});

describe("redis counters", () => {
  countersSuite(() => createRedisCounters(a, { keyPrefix: `${runPrefix}${++n}:` }));

  it("loads its scripts again after SCRIPT FLUSH (EVALSHA falls back to EVAL on NOSCRIPT)", async () => {
    const c = createRedisCounters(a, { keyPrefix: `${runPrefix}${++n}:` });
    expect((await c.admit(admitRequest({ now: t0, rates: [rate("rl", "team", { rpm: 5 })] }))).ok).toBe(true);
    await a.script("FLUSH");
    expect((await c.admit(admitRequest({ now: t0, rates: [rate("rl", "team", { rpm: 5 })] }))).ok).toBe(true);
  });

  it("keeps budget keys until the period ends plus retention, and rate keys about one window", async () => {
    const prefix = `${runPrefix}${++n}:`;
    const c = createRedisCounters(a, { keyPrefix: prefix, periodRetentionMs: 1_000 });
    const now = Date.now();
    const day = budget("b_ttl", "team", 1_000, { period: "day" });
    const life = budget("b_life", "team", 1_000, { period: "lifetime" });
    const limit = rate("rl_ttl", "team", { rpm: 5, windowSeconds: 60 });
    expect((await c.admit(admitRequest({ now, rates: [limit], budgets: [day, life], maxCostMicros: 1 }))).ok).toBe(true);
    const [dayKey] = await a.keys(`${prefix}b:b_ttl:day:*`);
    const endOfDay = new Date(now).setUTCHours(24, 0, 0, 0);
    const ttl = await a.pttl(dayKey!);
    expect(ttl).toBeGreaterThan(endOfDay - now + 1_000 - 5_000);
    expect(ttl).toBeLessThanOrEqual(endOfDay - now + 1_000);
    expect(await a.pttl(`${prefix}b:b_life:lifetime:0`)).toBe(-1);
    const rateTtl = await a.pttl(`${prefix}rl:rl_ttl:60:req`);
    expect(rateTtl).toBeGreaterThan(60_000);
    expect(rateTtl).toBeLessThanOrEqual(120_000);
  });

  it("stays exact across two gateways: 500 concurrent admissions on two connections", async () => {
    const prefix = `${runPrefix}${++n}:`;
    const gateways: Counters[] = [createRedisCounters(a, { keyPrefix: prefix }), createRedisCounters(b, { keyPrefix: prefix })];
    const cost = 10_000;
    const budgets = [
      budget("cust", "customer", 70 * cost),
      budget("team", "team", 50 * cost + 7_000),
      budget("key", "virtual_key", 55 * cost),
      budget("prov", "provider_key", 90 * cost),
    ];
    const results = await Promise.all(
      Array.from({ length: 500 }, (_, i) => gateways[i % 2]!.admit(admitRequest({ now: t0 + (i % 7), budgets, maxCostMicros: cost }))),
    );
    const ok = results.filter((r): r is AdmitOk => r.ok);
    expect(ok).toHaveLength(50);
    for (const bgt of budgets) {
      const s = await gateways[0]!.spend(bgt, t0 + 10);
      expect(s.reservedMicros).toBe(ok.length * cost);
      expect(s.reservedMicros).toBeLessThanOrEqual(bgt.limitMicros);
    }
    // Settle from the other gateway than the one that admitted, some for less than reserved.
    await Promise.all(ok.map((r, i) => {
      const [requestId, attempt] = r.reservationId.split(":");
      return gateways[(i + 1) % 2]!.settle({ requestId: requestId!, attempt: Number(attempt), actualCostMicros: i % 2 === 0 ? cost : cost / 2, actualTokens: 10, now: t0 + 20 });
    }));
    for (const bgt of budgets) {
      const s = await gateways[1]!.spend(bgt, t0 + 20);
      expect(s).toEqual({ spentMicros: 25 * cost + 25 * (cost / 2), reservedMicros: 0, periodStartMs: Date.UTC(2026, 4, 1), resetsAt: new Date(Date.UTC(2026, 5, 1)) });
      expect(s.spentMicros).toBeLessThanOrEqual(bgt.limitMicros);
    }

    const limits = [rate("rl_key", "virtual_key", { rpm: 40 }), rate("rl_team", "team", { rpm: 33 })];
    const rated = await Promise.all(
      Array.from({ length: 500 }, (_, i) => gateways[i % 2]!.admit(admitRequest({ now: t0 + 1_000, rates: limits }))),
    );
    expect(rated.filter((r) => r.ok)).toHaveLength(33);
  });
});

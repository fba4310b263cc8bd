import { createServer, connect, type Server, type Socket } from "node:net";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "@portcullis/testkit";
import { withFailover, type CountersState } from "./failover";
import { createMemoryCounters } from "./memory-counters";
import { createRedisCounters } from "./redis-counters";
import { admitRequest, budget, settleRequest, t0 } from "./suite-fixtures";

const redisUrl = new URL(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
const prefix = `pc:ctr:test:fo${Date.now().toString(36)}:`;

/** A TCP relay in front of the real Redis that can be closed and reopened on the same port. */
class Relay {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  constructor(readonly port: number) {}

  async open(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect({ host: redisUrl.hostname, port: Number(redisUrl.port || 6379) });
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on("error", () => { client.destroy(); upstream.destroy(); });
        s.on("close", () => { this.sockets.delete(s); client.destroy(); upstream.destroy(); });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.port, "127.0.0.1", resolve));
    this.server = server;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not reached in time");
    await new Promise((r) => setTimeout(r, 100));
  }
}

const direct = new Redis(redisUrl.toString());
afterAll(async () => {
  const keys = await direct.keys(`${prefix}*`);
  if (keys.length > 0) await direct.del(...keys);
  await direct.quit();
});

describe("withFailover against Redis going away and coming back", () => {
  const team = budget("team", "team", 100_000);

  it("open: serves from memory while the port is closed, then replays the spend into Redis", async () => {
    const relay = new Relay(await freePort());
    const states: CountersState[] = [];
    const primary = createRedisCounters(`redis://127.0.0.1:${relay.port}`, { keyPrefix: `${prefix}open:`, commandTimeoutMs: 100 });
    const counters = withFailover({ primary, fallback: createMemoryCounters(), mode: "open", timeoutMs: 200, probeIntervalMs: 50, onModeChange: (s) => states.push(s) });
    try {
      const r = admitRequest({ now: t0, budgets: [team], maxCostMicros: 5_000 });
      expect(await counters.admit(r)).toMatchObject({ ok: true, degraded: true });
      expect(counters.state()).toBe("degraded");
      await counters.settle(settleRequest(r, { now: t0 + 1, actualCostMicros: 3_000 }));
      expect(counters.stats().pendingSettles).toBe(1);

      await relay.open();
      await eventually(() => counters.reconcile());
      expect(states).toEqual(["degraded", "healthy"]);
      const live = createRedisCounters(direct, { keyPrefix: `${prefix}open:` });
      expect(await live.spend(team, t0 + 2)).toMatchObject({ spentMicros: 3_000, reservedMicros: 0 });
      // Back on Redis: new admissions are exact and shared again.
      const back = await counters.admit(admitRequest({ now: t0 + 3, budgets: [team], maxCostMicros: 1_000 }));
      expect(back.ok && back.degraded).toBeUndefined();
      expect((await live.spend(team, t0 + 3)).reservedMicros).toBe(1_000);
    } finally {
      await counters.close();
      await relay.close();
    }
  });

  it("closed: answers counters_unavailable while Redis is unreachable, and recovers", async () => {
    const relay = new Relay(await freePort());
    await relay.open();
    const primary = createRedisCounters(`redis://127.0.0.1:${relay.port}`, { keyPrefix: `${prefix}closed:`, commandTimeoutMs: 100 });
    const counters = withFailover({ primary, fallback: createMemoryCounters(), mode: "closed", timeoutMs: 200, probeIntervalMs: 50 });
    try {
      await counters.ping(); // as a gateway does at boot: the client has no offline queue
      const r = admitRequest({ now: t0, budgets: [team], maxCostMicros: 5_000 });
      expect((await counters.admit(r)).ok).toBe(true);
      await relay.close();
      await expect(counters.admit(admitRequest({ now: t0, budgets: [team], maxCostMicros: 1 }))).rejects.toMatchObject({ code: "counters_unavailable", status: 503 });
      expect((await counters.settle(settleRequest(r, { now: t0 + 1, actualCostMicros: 4_000 }))).status).toBe("deferred");
      await relay.open();
      await eventually(() => counters.reconcile());
      // The refused admission left nothing behind: only the deferred settlement reached Redis.
      expect(await createRedisCounters(direct, { keyPrefix: `${prefix}closed:` }).spend(team, t0 + 2)).toMatchObject({ spentMicros: 4_000, reservedMicros: 0 });
    } finally {
      await counters.close();
      await relay.close();
    }
  });
});

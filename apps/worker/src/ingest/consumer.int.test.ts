import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GENESIS_HASH, verifyChain } from "@portcullis/audit";
import { createPrisma, type PrismaClient } from "@portcullis/db";
import { createEventEmitter, type PortcullisEventInput } from "@portcullis/events";
import { startIngestConsumer, type IngestConsumer } from "./consumer";
import { createIngestor, type Ingestor } from "./ingestor";
import { decisionEvent, requestEvent } from "./fixtures/events";

const databaseUrl = process.env.DATABASE_URL ?? "";
const redisUrl = process.env.REDIS_URL ?? "";
let prisma: PrismaClient;
let redis: Redis;
const spoolDirs: string[] = [];
const streams: string[] = [];

beforeAll(() => {
  expect(databaseUrl).toMatch(/^postgresql:/);
  prisma = createPrisma(databaseUrl, { max: 6 });
  redis = new Redis(redisUrl);
});
afterAll(async () => {
  if (streams.length) await redis.del(...streams);
  redis.disconnect();
  await prisma.$disconnect();
  for (const d of spoolDirs) rmSync(d, { recursive: true, force: true });
});

/** A private stream per test: the shared Redis may carry other work's `pc:events`. */
function testStream() {
  const stream = `pc:test:${randomBytes(4).toString("hex")}`;
  streams.push(stream, `${stream}:rejected`);
  return stream;
}

async function emitAll(stream: string, events: PortcullisEventInput[]) {
  const spoolDir = mkdtempSync(join(tmpdir(), "pc-spool-"));
  spoolDirs.push(spoolDir);
  const emitter = createEventEmitter({ redis: redisUrl, stream, spoolDir, nodeName: "gw-test" });
  for (const e of events) emitter.emit(e);
  await emitter.close();
  expect(emitter.stats()).toMatchObject({ delivered: events.length, spooled: 0, dropped: 0 });
}

async function until(cond: () => Promise<boolean>, ms = 30_000) {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function storedCounts(vk: string, decisionIds: string[]) {
  const [requests] = await prisma.$queryRaw<{ n: bigint; distinct_ids: bigint }[]>`
    SELECT count(*) AS n, count(DISTINCT id) AS distinct_ids FROM request_logs WHERE virtual_key_id = ${vk}`;
  const [usage] = await prisma.$queryRaw<{ requests: bigint | null; errors: bigint | null; cost: bigint | null }[]>`
    SELECT sum(requests) AS requests, sum(errors) AS errors, sum(cost_micros) AS cost FROM usage_daily WHERE virtual_key_id = ${vk}`;
  const audit = await prisma.auditEvent.count({ where: { id: { in: decisionIds } } });
  return { requests: Number(requests!.n), distinct: Number(requests!.distinct_ids), usage: Number(usage!.requests ?? 0), errors: Number(usage!.errors ?? 0), cost: Number(usage!.cost ?? 0), audit };
}

async function expectChainIntact() {
  // After an archive (audit tests) the chain continues from the archived head.
  const archive = await prisma.auditArchive.findFirst({ orderBy: { checkpointSeq: "desc" } });
  const rows = await prisma.auditEvent.findMany({ where: { seq: { gt: archive?.checkpointSeq ?? 0n } }, orderBy: { seq: "asc" } });
  expect(verifyChain(rows, archive?.headHash ?? GENESIS_HASH).firstBroken).toBeUndefined();
}

describe("ingest consumer", () => {
  it("loses nothing and duplicates nothing when a worker is SIGKILLed between commit and XACK", async () => {
    const stream = testStream();
    const group = "pc-ingest";
    const vk = `vk_crash_${randomBytes(3).toString("hex")}`;
    const requests = Array.from({ length: 3000 }, (_, i) => requestEvent(vk, i));
    const decisions = Array.from({ length: 40 }, () => decisionEvent(vk));
    // Decisions spread through the stream, some inside the batch the crash interrupts.
    const events: PortcullisEventInput[] = [...requests];
    decisions.forEach((d, i) => events.splice(i * 70, 0, d));
    await emitAll(stream, events);

    const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(new URL("./fixtures/crashing-consumer.ts", import.meta.url))], {
      env: { ...process.env, STREAM: stream, GROUP: group, CONSUMER: "doomed", BATCH_SIZE: "1000" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    const killer = setTimeout(() => child.kill("SIGKILL"), 45_000);
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, sig) => resolve(sig)));
    clearTimeout(killer);
    expect(signal).toBe("SIGKILL");
    expect(out).toContain("committed 1000");

    // The dead worker's batch is in PostgreSQL but still pending (never acknowledged).
    const pending = (await redis.xpending(stream, group)) as [number, ...unknown[]];
    expect(pending[0]).toBe(1000);
    const afterCrash = await storedCounts(vk, decisions.map((d) => d.id));
    expect(afterCrash.requests + afterCrash.audit).toBe(1000);
    expect(afterCrash.usage).toBe(afterCrash.requests);

    // A fresh worker (another consumer name) claims the stale entries and reads the rest.
    const consumer = await startIngestConsumer({ redis: redisUrl, ingestor: createIngestor({ prisma }), stream, group, consumer: "survivor", claimIdleMs: 300, claimEveryMs: 200, blockMs: 100 });
    try {
      await until(async () => {
        const b = await consumer.backlog();
        return b.pending === 0 && b.lag === 0;
      });
      expect(consumer.stats().claimed).toBe(1000);
    } finally {
      await consumer.stop();
    }
    const final = await storedCounts(vk, decisions.map((d) => d.id));
    const expectedErrors = requests.filter((r) => r.outcome !== "success").length;
    const expectedCost = requests.reduce((n, r) => n + (r.costMicros ?? 0), 0);
    expect(final).toEqual({ requests: 3000, distinct: 3000, usage: 3000, errors: expectedErrors, cost: expectedCost, audit: 40 });
    await expectChainIntact();
  });

  it("retries while PostgreSQL is unreachable and acknowledges nothing until the data is committed", async () => {
    const stream = testStream();
    const vk = `vk_pgdown_${randomBytes(3).toString("hex")}`;
    const events = [...Array.from({ length: 200 }, (_, i) => requestEvent(vk, i)), decisionEvent(vk, "gateway.rate_limited")];
    await emitAll(stream, events);

    // Port 1: nothing listens, like a database that is down.
    const down = createPrisma("postgresql://postgres@127.0.0.1:1/none?connect_timeout=1", { max: 1 });
    let current: Ingestor = createIngestor({ prisma: down });
    const consumer: IngestConsumer = await startIngestConsumer({
      redis: redisUrl,
      ingestor: { ingest: (raw) => current.ingest(raw) },
      stream,
      consumer: "w1",
      retryMinMs: 50,
      retryMaxMs: 200,
      blockMs: 100,
    });
    try {
      await until(async () => consumer.stats().failing >= 3);
      const b = await consumer.backlog();
      expect(b).toMatchObject({ pending: events.length, lag: 0 });
      expect((await storedCounts(vk, [])).requests).toBe(0);

      current = createIngestor({ prisma }); // the database is back
      await until(async () => (await consumer.backlog()).pending === 0);
      expect(consumer.stats()).toMatchObject({ failing: 0, inserted: 200, appended: 1 });
      expect(await storedCounts(vk, [events[200]!.id])).toMatchObject({ requests: 200, distinct: 200, usage: 200, audit: 1 });
    } finally {
      await consumer.stop();
      await down.$disconnect();
    }
  });

  it("drops replayed and duplicated events at insert, and reports alerts once", async () => {
    const vk = `vk_dup_${randomBytes(3).toString("hex")}`;
    const alerts: string[] = [];
    const ingestor = createIngestor({ prisma, onAlert: (a) => alerts.push(a.id) });
    const reqs = Array.from({ length: 50 }, (_, i) => requestEvent(vk, i));
    const decision = decisionEvent(vk);
    const alert = { v: 1, type: "alert", id: decisionEvent(vk).id, time: new Date().toISOString(), kind: "budget.soft_threshold_crossed", subject: { type: "budget", id: "bud_x" }, message: "80% used" };
    const first = await ingestor.ingest([...reqs, decision, alert, reqs[0]]);
    expect(first).toMatchObject({ requests: { received: 50, inserted: 50 }, audit: { received: 2, appended: 2 }, rejected: [] });
    const again = await ingestor.ingest([...reqs, decision, alert, { type: "request", id: "not-an-id" }]);
    expect(again).toMatchObject({ requests: { received: 50, inserted: 0 }, audit: { received: 2, appended: 0 } });
    expect(again.rejected).toHaveLength(1);
    expect(alerts).toEqual([alert.id]);
    expect(await storedCounts(vk, [decision.id, alert.id])).toMatchObject({ requests: 50, usage: 50, audit: 2 });
  });

  it("isolates an event the database refuses instead of blocking the stream", async () => {
    const vk = `vk_poison_${randomBytes(3).toString("hex")}`;
    const good = Array.from({ length: 9 }, (_, i) => requestEvent(vk, i));
    const bad = { ...requestEvent(vk, 99), latencyMs: 2 ** 40 }; // beyond int4
    const r = await createIngestor({ prisma }).ingest([...good.slice(0, 4), bad, ...good.slice(4)]);
    expect(r.requests.inserted).toBe(9);
    expect(r.rejected.map((x) => x.id)).toEqual([bad.id]);
    expect(r.rejected[0]!.reason).toMatch(/out of range/);
  });

  // Throughput figure for the report (target: 5,000 events/s). Measured on the 2-core dev box:
  // ~13,000/s when quiet, ~6,000/s with load average 10 from other jobs. The assertion is a
  // regression guard well below both (a row-at-a-time insert would manage a few hundred/s).
  it("measures stream-to-PostgreSQL throughput (emitter -> Redis -> consumer -> PostgreSQL)", async () => {
    const stream = testStream();
    const vk = `vk_perf_${randomBytes(3).toString("hex")}`;
    const n = 30_000;
    const events = Array.from({ length: n }, (_, i) => requestEvent(vk, i));
    const t0 = performance.now();
    await emitAll(stream, events);
    const emitted = performance.now();
    const consumer = await startIngestConsumer({ redis: redisUrl, ingestor: createIngestor({ prisma }), stream, consumer: "perf", batchSize: 2000, blockMs: 50 });
    try {
      await until(async () => consumer.stats().entries >= n, 60_000);
    } finally {
      await consumer.stop();
    }
    const done = performance.now();
    const ingestRate = Math.round(n / ((done - emitted) / 1000));
    console.log(`[ingest throughput] ${n} request events: emit+XADD ${Math.round(n / ((emitted - t0) / 1000))}/s, consume+insert+rollup ${ingestRate}/s`);
    expect((await storedCounts(vk, [])).requests).toBe(n);
    expect(ingestRate).toBeGreaterThanOrEqual(2500);
  });
});

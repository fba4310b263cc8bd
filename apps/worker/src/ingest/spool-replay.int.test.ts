import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma, type PrismaClient } from "@portcullis/db";
import { createEventEmitter } from "@portcullis/events";
import { privateRedis, type PrivateRedis } from "@portcullis/testkit";
import { startIngestConsumer } from "./consumer";
import { createIngestor } from "./ingestor";
import { decisionEvent, requestEvent } from "./fixtures/events";

const databaseUrl = process.env.DATABASE_URL ?? "";
let prisma: PrismaClient;
let redis: PrivateRedis | undefined;
let dir = "";

beforeAll(() => {
  prisma = createPrisma(databaseUrl, { max: 4 });
  dir = mkdtempSync(join(tmpdir(), "pc-spool-"));
});
afterAll(async () => {
  await redis?.stop();
  await prisma.$disconnect();
  rmSync(dir, { recursive: true, force: true });
});

async function until(cond: () => Promise<boolean> | boolean, ms = 30_000) {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe("Redis outage on the request path", () => {
  it("spools to disk while Redis is down, replays when it is back, and every event is stored once", async () => {
    redis = await privateRedis();
    const redisUrl = redis.url;
    const stream = `pc:test:${randomBytes(4).toString("hex")}`;
    const vk = `vk_spool_${randomBytes(3).toString("hex")}`;
    const emitter = createEventEmitter({ redis: redisUrl, stream, spoolDir: dir, nodeName: "gw-a", retryMinMs: 50, retryMaxMs: 200, spoolSegmentBytes: 64 * 1024 });
    const emitted: string[] = [];
    const emit = (n: number) => {
      for (let i = 0; i < n; i++) {
        const e = i % 50 === 0 ? decisionEvent(vk) : requestEvent(vk, i);
        emitted.push(e.id);
        emitter.emit(e);
      }
    };

    // 1. Nothing listens yet: everything goes to the spool, and the request path never waits.
    const t0 = performance.now();
    emit(600);
    expect(performance.now() - t0).toBeLessThan(200);
    await emitter.flush();
    expect(emitter.stats()).toMatchObject({ mode: "spool", spooled: 600, dropped: 0 });
    expect(emitter.stats().spooledBytes).toBeGreaterThan(64 * 1024); // rotated into several segments
    expect(readdirSync(join(dir, "gw-a")).length).toBeGreaterThan(1);

    // 2. Redis comes up: the spool is replayed in order and deleted.
    await redis.start();
    await until(() => emitter.stats().mode === "redis");
    expect(readdirSync(join(dir, "gw-a"))).toEqual([]);
    const consumer = await startIngestConsumer({ redis: redisUrl, ingestor: createIngestor({ prisma }), stream, consumer: "w", blockMs: 100, retryMinMs: 50, retryMaxMs: 200 });
    try {
      emit(300);
      await until(async () => (await consumer.backlog().catch(() => ({ pending: 1, lag: 1 }))).lag === 0 && (await consumer.backlog()).pending === 0 && consumer.stats().entries >= 900);

      // 3. Redis dies (losing its memory) and comes back: the worker re-creates its group.
      await redis.stop();
      emit(400);
      await emitter.flush();
      await until(() => emitter.stats().mode === "spool");
      await redis.start();
      await until(() => emitter.stats().mode === "redis");
      await until(async () => {
        const [row] = await prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM request_logs WHERE virtual_key_id = ${vk}`;
        const audit = await prisma.auditEvent.count({ where: { actorId: vk } });
        return Number(row!.n) + audit === emitted.length;
      });
    } finally {
      await consumer.stop();
      await emitter.close();
    }

    const [rows] = await prisma.$queryRaw<{ n: bigint; d: bigint }[]>`SELECT count(*) AS n, count(DISTINCT id) AS d FROM request_logs WHERE virtual_key_id = ${vk}`;
    const audit = await prisma.auditEvent.findMany({ where: { actorId: vk }, select: { id: true } });
    expect(Number(rows!.n)).toBe(Number(rows!.d));
    expect(new Set([...audit.map((a) => a.id)]).size).toBe(audit.length);
    expect(Number(rows!.n) + audit.length).toBe(1300);
    expect(emitter.stats()).toMatchObject({ dropped: 0, spooled: 1000 });
  });
});

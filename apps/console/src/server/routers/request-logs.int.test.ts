import { newId } from "@portcullis/core";
import { createPrisma, type PrismaClient } from "@portcullis/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stubServices } from "../testing/stub-services";
import { roleBinding, testCaller } from "../testing/test-caller";

/** The request-log explorer: newest first by time, cursor pages without gaps or repeats. */

let prisma: PrismaClient;
const services = stubServices({ keyPepper: "request-logs-pepper".padEnd(40, "r") });

const owner = () => testCaller({ prisma, services, userId: "usr_rl", bindings: [roleBinding("Owner")], label: "rl" });

beforeAll(() => {
  prisma = createPrisma(process.env.DATABASE_URL ?? "", { max: 2 });
});
afterAll(async () => {
  await prisma?.$disconnect();
});

describe("requestLogs.list", () => {
  it("pages a day newest first by time, ties by seq, with no gap or repeat, even when ingest order differs", async () => {
    const vk = `vk_${newId("request").slice(4, 16)}`;
    const base = Date.parse("2026-11-20T00:00:00Z");
    // Ingested out of time order (a spool replayed late): seq order is not time order. Ten rows share one instant.
    const times = [
      ...Array.from({ length: 60 }, (_, i) => base + 3_600_000 + i * 60_000),
      ...Array.from({ length: 10 }, () => base + 2 * 3_600_000),
      ...Array.from({ length: 60 }, (_, i) => base + 60_000 + i * 1000),
    ];
    for (const at of times) {
      await prisma.requestLog.create({ data: { id: newId("request"), createdAt: new Date(at), virtualKeyId: vk, endpoint: "chat", outcome: "success" } });
    }
    // One row the day before, outside the range.
    await prisma.requestLog.create({ data: { id: newId("request"), createdAt: new Date(base - 1), virtualKeyId: vk, endpoint: "chat", outcome: "success" } });

    const range = { from: new Date(base).toISOString(), to: new Date(base + 86_400_000).toISOString() };
    const seen: { createdAt: string; seq: bigint }[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await owner().requestLogs.list({ virtualKeyId: vk, ...range, limit: 50, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((r) => ({ createdAt: r.createdAt, seq: BigInt(r.seq) })));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor && pages < 10);

    expect(pages).toBe(3);
    expect(seen).toHaveLength(times.length);
    expect(new Set(seen.map((r) => r.seq)).size).toBe(times.length);
    const sorted = [...seen].sort((a, b) => (a.createdAt === b.createdAt ? Number(b.seq - a.seq) : b.createdAt.localeCompare(a.createdAt)));
    expect(seen).toEqual(sorted);
    expect(seen[0]!.createdAt).toBe(new Date(base + 2 * 3_600_000).toISOString());
  });
});

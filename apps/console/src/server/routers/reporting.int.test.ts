import { newId } from "@portcullis/core";
import { createPrisma, type PrismaClient } from "@portcullis/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditExportStream } from "../audit-export";
import { createMatrixSeed, type MatrixSeed } from "../testing/matrix-seed";
import { stubServices } from "../testing/stub-services";
import { roleBinding, testCaller } from "../testing/test-caller";

/** Overview charts, budget usage and the audit export against real rows. */

let prisma: PrismaClient;
let s: MatrixSeed;
const services = stubServices({ keyPepper: "reporting-pepper".padEnd(40, "r") });

const owner = () => testCaller({ prisma, services, userId: s.actorUserId, bindings: [roleBinding("Owner")], label: "r" });

beforeAll(async () => {
  prisma = createPrisma(process.env.DATABASE_URL ?? "", { max: 4 });
  s = await createMatrixSeed(prisma, services.keyPepper);
});

afterAll(async () => {
  await prisma?.$disconnect();
});

describe("overview.charts", () => {
  it("sums the rollup per UTC day, fills empty days with zero, ranks top keys and takes latency from request logs", async () => {
    const today = new Date();
    const day = (offset: number) => new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - offset));
    const key = await s.newKey("A");
    await prisma.usageDaily.deleteMany({});
    await prisma.usageDaily.createMany({
      data: [
        { day: day(0), virtualKeyId: key, teamId: s.teams.A, model: "gpt-4o-mini", requests: 10n, errors: 1n, costMicros: 2_500_000n, inputTokens: 100n, outputTokens: 50n },
        { day: day(0), virtualKeyId: "", teamId: s.teams.B, model: "claude-x", requests: 5n, errors: 0n, costMicros: 500_000n },
        { day: day(2), virtualKeyId: key, teamId: s.teams.A, model: "gpt-4o-mini", requests: 3n, errors: 3n, costMicros: 1_000_000n },
      ],
    });
    await prisma.requestLog.createMany({
      data: [100, 200, 300, 400].map((latencyMs) => ({ id: newId("request"), endpoint: "chat.completions", outcome: "success" as const, latencyMs })),
    });

    const charts = await owner().overview.charts({ days: 7 });
    expect(charts.series).toHaveLength(7);
    const last = charts.series.at(-1)!;
    expect(last).toMatchObject({ requests: 15, errors: 1, costUsd: 3, tokens: 150 });
    expect(last.avgLatencyMs).toBeGreaterThanOrEqual(100);
    expect(last.p95LatencyMs).toBeGreaterThanOrEqual(last.avgLatencyMs!);
    expect(charts.series.at(-3)).toMatchObject({ requests: 3, errors: 3, costUsd: 1 });
    expect(charts.series.at(-2)).toMatchObject({ requests: 0, errors: 0, costUsd: 0, avgLatencyMs: null });
    expect(charts.top.keys[0]).toMatchObject({ id: key, costUsd: 3.5, requests: 13 });
    expect(charts.top.teams.map((t) => t.id)).toEqual([s.teams.A, s.teams.B]);
    expect(charts.top.models[0]).toMatchObject({ label: "gpt-4o-mini" });
    expect(charts.rolledUpAsOf).not.toBeNull();
  });
});

describe("budgets.list", () => {
  it("shows the current period's flushed spend with its time, and the next calendar reset", async () => {
    const created = await owner().budgets.create({ scopeType: "team", scopeId: s.teams.B, limitUsd: 200, period: "month", timeZone: "UTC" });
    const now = new Date();
    const periodStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    await prisma.budgetPeriodSpend.create({ data: { budgetId: created.id, periodStart, spentMicros: 50_000_000n } });
    // A past period's spend does not count.
    await prisma.budgetPeriodSpend.create({ data: { budgetId: created.id, periodStart: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)), spentMicros: 999_000_000n } });

    const listed = (await owner().budgets.list({})).find((b) => b.id === created.id)!;
    expect(listed).toMatchObject({ spentUsd: 50, usedPct: 25, periodStart: periodStart.toISOString(), scopeLabel: expect.stringContaining("Team B") });
    expect(listed.spendAsOf).not.toBeNull();
    expect(listed.nextReset).toBe(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString());
    expect(created.spendAsOf).toBeNull();
  });
});

describe("audit export", () => {
  async function read(stream: ReadableStream<Uint8Array>): Promise<string> {
    return new Response(stream).text();
  }

  it("streams the filtered events oldest first as CSV (header + one line each) and JSONL", async () => {
    const filter = { action: "budget." };
    const expected = await prisma.auditEvent.findMany({ where: { action: { startsWith: "budget." } }, orderBy: { seq: "asc" } });
    expect(expected.length).toBeGreaterThan(0);
    const csv = await read(auditExportStream(prisma, filter, "csv", 2));
    const lines = csv.split("\r\n").filter(Boolean);
    expect(lines[0]!.startsWith("seq,occurredAt,actorType")).toBe(true);
    expect(lines).toHaveLength(expected.length + 1);
    expect(lines[1]!.startsWith(`${expected[0]!.seq},`)).toBe(true);

    const jsonl = (await read(auditExportStream(prisma, filter, "jsonl", 2))).trim().split("\n").map((l) => JSON.parse(l) as { id: string; seq: string; hash: string });
    expect(jsonl.map((e) => e.id)).toEqual(expected.map((e) => e.id));
    expect(jsonl[0]!.hash).toBe(expected[0]!.hash);
  });
});

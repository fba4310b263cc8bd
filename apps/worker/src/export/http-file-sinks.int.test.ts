import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyWebhookSignature, type ExportRecord } from "@portcullis/audit";
import { newId } from "@portcullis/core";
import { appendAuditEvent, createPrisma, type ExportSinkKind, type PrismaClient } from "@portcullis/db";
import { createSecretResolver } from "@portcullis/secrets";
import { createIngestor } from "../ingest/ingestor";
import { requestEvent } from "../ingest/fixtures/events";
import { startHttpCollector, until } from "./fixtures/collectors";
import { readExportLag } from "./lag";
import { startExportRunner, type ExportRunner } from "./runner";

const databaseUrl = process.env.DATABASE_URL ?? "";
const secrets = createSecretResolver({ env: { PC_TEST_HEC_TOKEN: "hec-token-1", PC_TEST_HMAC: "hmac-secret-1", PC_TEST_OTLP_AUTH: "Bearer otlp-1" } });
let prisma: PrismaClient;
let dir = "";
const sinkIds: string[] = [];
const runners: ExportRunner[] = [];

beforeAll(() => {
  prisma = createPrisma(databaseUrl, { max: 6 });
  dir = mkdtempSync(join(tmpdir(), "pc-export-"));
});
afterAll(async () => {
  for (const r of runners) await r.stop();
  await prisma.exportSink.deleteMany({ where: { id: { in: sinkIds } } });
  await prisma.$disconnect();
  rmSync(dir, { recursive: true, force: true });
});

function runner(owner = "w1") {
  const r = startExportRunner({ prisma, owner, intervalMs: 3_600_000, retryMinMs: 10, retryMaxMs: 20, resolveSecret: (ref) => secrets.resolve(ref) });
  runners.push(r);
  return r;
}

async function createSink(kind: ExportSinkKind, config: Record<string, unknown>, streams: ("audit" | "requests")[]) {
  const id = newId("exportSink");
  sinkIds.push(id);
  await prisma.exportSink.create({ data: { id, name: `${kind}-${id}`, kind, config: { startFrom: "now", ...config }, streams } });
  return id;
}

async function requests(n: number, vk = "vk_http") {
  const events = Array.from({ length: n }, (_, i) => requestEvent(vk, i));
  await createIngestor({ prisma }).ingest(events);
  return events.map((e) => e.id);
}

async function audits(n: number) {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await prisma.$transaction((tx) => appendAuditEvent(tx, { actorType: "system", action: "export.test", metadata: { i } }))).id);
  return ids;
}

const lagOf = async (sinkId: string, stream: "audit" | "requests") => (await readExportLag(prisma)).find((l) => l.sinkId === sinkId && l.stream === stream)!;

describe("webhook export", () => {
  it("posts Splunk HEC batches with the token and a verifiable HMAC signature", async () => {
    const hec = await startHttpCollector();
    const r = runner();
    try {
      const sinkId = await createSink("webhook", { url: `${hec.url}/services/collector/event`, format: "splunk_hec", tokenRef: "env://PC_TEST_HEC_TOKEN", hmacSecretRef: "env://PC_TEST_HMAC", sourcetype: "portcullis:test", batchSize: 20 }, ["requests", "audit"]);
      await r.runOnce();
      const reqIds = await requests(45);
      const auditIds = await audits(2);
      await r.runOnce();
      expect(hec.received.length).toBe(4); // 20 + 20 + 5 requests, 2 audit events
      const events = hec.received.flatMap((req) => {
        expect(req.path).toBe("/services/collector/event");
        expect(req.headers.authorization).toBe("Splunk hec-token-1");
        expect(verifyWebhookSignature("hmac-secret-1", req.body, String(req.headers["x-portcullis-signature"]))).toBe(true);
        return req.body.split("\n").map((l) => JSON.parse(l) as { time: number; host: string; source: string; sourcetype: string; event: { id: string; endpoint?: string } });
      });
      expect(events.map((e) => e.event.id)).toEqual([...reqIds, ...auditIds]);
      expect(events[0]).toMatchObject({ source: "portcullis", sourcetype: "portcullis:test", event: { endpoint: "chat.completions" } });
      expect(typeof events[0]!.time).toBe("number");
      expect((await lagOf(sinkId, "requests")).behind).toBe("0");
    } finally {
      await hec.close();
    }
  });

  it("backs off on 503 without losing or dead-lettering anything, then delivers", async () => {
    let failing = 3;
    const hook = await startHttpCollector(() => (failing-- > 0 ? 503 : 200));
    const r = runner();
    try {
      const sinkId = await createSink("webhook", { url: hook.url, format: "json", maxAttempts: 2 }, ["requests"]);
      await r.runOnce();
      const ids = await requests(5);
      await r.runOnce();
      const lag = await lagOf(sinkId, "requests");
      expect(lag).toMatchObject({ behind: "5", failures: 1, deadLetters: 0 });
      expect(lag.lastError).toMatch(/HTTP 503/);
      await until(async () => {
        await r.runOnce();
        return (await lagOf(sinkId, "requests")).behind === "0";
      });
      const body = JSON.parse(hook.received[0]!.body) as { source: string; records: ExportRecord[] };
      expect(body.records.map((x) => x.id)).toEqual(ids);
      expect(await lagOf(sinkId, "requests")).toMatchObject({ failures: 0, deadLetters: 0, lastError: null });
    } finally {
      await hook.close();
    }
  });

  it("dead-letters only the record a sink refuses (400) after maxAttempts, and moves on", async () => {
    let poison = "";
    const hook = await startHttpCollector((req) => (req.body.includes(poison) ? 400 : 200));
    const r = runner();
    try {
      const sinkId = await createSink("webhook", { url: hook.url, format: "json", maxAttempts: 3 }, ["requests"]);
      await r.runOnce();
      const ids = await requests(6);
      poison = ids[2]!;
      await until(async () => {
        await r.runOnce();
        return (await lagOf(sinkId, "requests")).behind === "0";
      });
      const delivered = hook.received.flatMap((q) => (JSON.parse(q.body) as { records: ExportRecord[] }).records.map((x) => x.id));
      expect(delivered).toEqual(ids.filter((id) => id !== poison));
      const dead = await prisma.exportDeadLetter.findMany({ where: { sinkId } });
      expect(dead.map((d) => [d.recordId, d.stream, d.attempts])).toEqual([[poison, "requests", 3]]);
      expect(dead[0]!.error).toMatch(/HTTP 400/);
      expect((dead[0]!.payload as { id: string }).id).toBe(poison);
    } finally {
      await hook.close();
    }
  });

  it("lets one worker at a time export a sink (cursor lease), so two workers do not double-send", async () => {
    const hook = await startHttpCollector();
    const [a, b] = [runner("worker-a"), runner("worker-b")];
    try {
      const sinkId = await createSink("webhook", { url: hook.url, format: "json", batchSize: 10 }, ["requests"]);
      await a.runOnce();
      const ids = await requests(200);
      await Promise.all([a.runOnce(), b.runOnce(), a.runOnce(), b.runOnce()]);
      await until(async () => {
        await Promise.all([a.runOnce(), b.runOnce()]);
        return (await lagOf(sinkId, "requests")).behind === "0";
      });
      const delivered = hook.received.flatMap((q) => (JSON.parse(q.body) as { records: ExportRecord[] }).records.map((x) => x.id));
      expect(delivered).toEqual(ids);
    } finally {
      await hook.close();
    }
  });
});

describe("OTLP logs export", () => {
  it("posts resourceLogs/scopeLogs/logRecords to /v1/logs with secret headers", async () => {
    const otlp = await startHttpCollector();
    const r = runner();
    try {
      await createSink("otlp", { endpoint: `${otlp.url}/`, headerRefs: { authorization: "env://PC_TEST_OTLP_AUTH" }, serviceName: "portcullis-test" }, ["audit"]);
      await r.runOnce();
      const ids = await audits(3);
      await r.runOnce();
      expect(otlp.received).toHaveLength(1);
      const req = otlp.received[0]!;
      expect(req.path).toBe("/v1/logs");
      expect(req.headers.authorization).toBe("Bearer otlp-1");
      expect(req.headers["content-type"]).toBe("application/json");
      type Body = { resourceLogs: { resource: { attributes: { key: string; value: { stringValue: string } }[] }; scopeLogs: { scope: { name: string }; logRecords: { timeUnixNano: string; severityText: string; attributes: { key: string; value: { stringValue: string } }[] }[] }[] }[] };
      const body = JSON.parse(req.body) as Body;
      expect(body.resourceLogs[0]!.resource.attributes).toContainEqual({ key: "service.name", value: { stringValue: "portcullis-test" } });
      const scope = body.resourceLogs[0]!.scopeLogs[0]!;
      expect(scope.scope.name).toBe("portcullis.audit");
      expect(scope.logRecords.map((l) => l.attributes.find((a) => a.key === "portcullis.id")!.value.stringValue)).toEqual(ids);
      expect(scope.logRecords[0]!.timeUnixNano).toMatch(/^\d{19}$/);
    } finally {
      await otlp.close();
    }
  });
});

describe("JSONL file export", () => {
  it("appends one record per line and rotates by size, keeping maxFiles", async () => {
    const r = runner();
    const path = join(dir, "siem", "portcullis-{stream}.jsonl");
    await createSink("file", { path, maxBytes: 4096, maxFiles: 3, batchSize: 5 }, ["requests"]);
    await r.runOnce();
    const ids = await requests(40, "vk_file");
    await until(async () => {
      await r.runOnce();
      return readdirSync(join(dir, "siem")).length === 4;
    });
    await r.runOnce();
    const files = readdirSync(join(dir, "siem")).sort();
    expect(files).toEqual(["portcullis-requests.jsonl", "portcullis-requests.jsonl.1", "portcullis-requests.jsonl.2", "portcullis-requests.jsonl.3"]);
    // Oldest rotated file first; more rotations than maxFiles would have dropped the oldest.
    const lines = ["portcullis-requests.jsonl.3", "portcullis-requests.jsonl.2", "portcullis-requests.jsonl.1", "portcullis-requests.jsonl"].flatMap((f) =>
      readFileSync(join(dir, "siem", f), "utf8").trim().split("\n").filter(Boolean),
    );
    const got = lines.map((l) => (JSON.parse(l) as ExportRecord).id);
    expect(got).toEqual(ids.slice(ids.length - got.length));
    for (const f of files.slice(1)) expect(readFileSync(join(dir, "siem", f)).length).toBeGreaterThanOrEqual(4096);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "@portcullis/core";
import { appendAuditEvent, createPrisma, type AuditEvent, type PrismaClient } from "@portcullis/db";
import { freePort } from "@portcullis/testkit";
import { createIngestor } from "../ingest/ingestor";
import { requestEvent } from "../ingest/fixtures/events";
import { issueTestPki, startRsyslog, until } from "./fixtures/collectors";
import { readExportLag } from "./lag";
import { startExportRunner } from "./runner";

const databaseUrl = process.env.DATABASE_URL ?? "";
let prisma: PrismaClient;
const sinkIds: string[] = [];

beforeAll(() => {
  prisma = createPrisma(databaseUrl, { max: 4 });
});
afterAll(async () => {
  await prisma.exportSink.deleteMany({ where: { id: { in: sinkIds } } });
  await prisma.$disconnect();
});

async function createSink(config: Record<string, unknown>, streams: ("audit" | "requests")[]) {
  const id = newId("exportSink");
  sinkIds.push(id);
  await prisma.exportSink.create({ data: { id, name: `syslog-${id}`, kind: "syslog", config: { startFrom: "now", ...config }, streams } });
  return id;
}

async function appendAudit(action: string, outcome: "success" | "denied"): Promise<AuditEvent> {
  return prisma.$transaction((tx) => appendAuditEvent(tx, { actorType: "virtual_key", actorId: "vk_syslog", action, outcome, requestId: newId("request"), metadata: { policy: 'budget "team" ]' } }));
}

const behind = async (sinkId: string) => (await readExportLag(prisma)).filter((l) => l.sinkId === sinkId).map((l) => [l.stream, l.behind, l.failures]);

describe("syslog export (RFC 5424, octet-counting)", () => {
  it("reaches a real rsyslogd, which parses every header field and the structured data", async () => {
    const port = await freePort();
    const rsyslog = await startRsyslog(port);
    const runner = startExportRunner({ prisma, intervalMs: 3_600_000, retryMinMs: 10, retryMaxMs: 20 });
    try {
      const sinkId = await createSink({ host: "127.0.0.1", port, hostname: "pc-test-host" }, ["audit", "requests"]);
      await runner.runOnce(); // creates the cursors at the current heads
      const denied = await appendAudit("gateway.budget_denied", "denied");
      const ok = await appendAudit("virtual_key.update", "success");
      const req = requestEvent("vk_syslog", 1);
      await createIngestor({ prisma }).ingest([req]);
      expect(await behind(sinkId)).toEqual([["audit", "2", 0], ["requests", "1", 0]]);

      await runner.runOnce();
      expect(await behind(sinkId)).toEqual([["audit", "0", 0], ["requests", "0", 0]]);
      await until(() => rsyslog.lines().length >= 3);
      const lines = rsyslog.lines();
      const byId = (id: string) => lines.find((l) => l.sd["portcullis@32473"]?.id === id);

      const d = byId(denied.id)!;
      expect(d).toMatchObject({ hostname: "pc-test-host", appName: "portcullis", procId: String(process.pid), msgId: "gateway.budget_denied", pri: 13 * 8 + 4, timestamp: denied.occurredAt.toISOString() });
      expect(d.sd["portcullis@32473"]).toEqual({ stream: "audit", seq: denied.seq.toString(), id: denied.id, action: "gateway.budget_denied", actorType: "virtual_key", actorId: "vk_syslog", outcome: "denied", requestId: denied.requestId });
      const body = JSON.parse(d.msg) as Record<string, unknown>;
      expect(body).toMatchObject({ id: denied.id, hash: denied.hash, prevHash: denied.prevHash, metadata: { policy: 'budget "team" ]' } });

      expect(byId(ok.id)).toMatchObject({ msgId: "virtual_key.update", pri: 13 * 8 + 5 });
      expect(byId(req.id)).toMatchObject({ msgId: "request", pri: 13 * 8 + 6 });
      expect(byId(req.id)!.sd["portcullis@32473"]).toMatchObject({ stream: "requests", id: req.id, virtualKeyId: "vk_syslog", outcome: "success", status: "200" });
      expect(lines).toHaveLength(3);

      // The collector goes away: the cursor stays, the failure shows, and delivery resumes after.
      await rsyslog.stop();
      const later = await appendAudit("gateway.rate_limited", "denied");
      await runner.runOnce();
      await runner.runOnce(); // a connection accepted just before the stop may swallow one try
      const lag = (await readExportLag(prisma)).find((l) => l.sinkId === sinkId && l.stream === "audit")!;
      expect(lag).toMatchObject({ behind: "1" });
      expect(lag.failures).toBeGreaterThan(0);
      expect(lag.lastError).toMatch(/ECONNREFUSED|closed|EPIPE|ECONNRESET/);
      await rsyslog.start();
      await until(async () => {
        await runner.runOnce();
        return rsyslog.lines().some((l) => l.sd["portcullis@32473"]?.id === later.id);
      });
      expect(await behind(sinkId)).toEqual([["audit", "0", 0], ["requests", "0", 0]]);
    } finally {
      await runner.stop();
      await rsyslog.close();
    }
  });

  it("delivers over TLS (RFC 5425) to a real rsyslogd with the gtls driver, verifying its certificate against the configured CA", async () => {
    const pki = issueTestPki();
    const otherPki = issueTestPki();
    const port = await freePort();
    const rsyslog = await startRsyslog(port, pki);
    const runner = startExportRunner({ prisma, intervalMs: 3_600_000, retryMinMs: 10, retryMaxMs: 20 });
    try {
      const trusted = await createSink({ host: "127.0.0.1", port, hostname: "pc-tls-host", transport: "tls", tls: { ca: pki.ca, servername: "localhost" } }, ["audit", "requests"]);
      // Signed by another CA: the exporter must refuse the collector, and send nothing.
      const wrongCa = await createSink({ host: "127.0.0.1", port, transport: "tls", tls: { ca: otherPki.ca, servername: "localhost" } }, ["audit"]);
      await runner.runOnce();
      const denied = await appendAudit("gateway.auth_failed", "denied");
      const req = requestEvent("vk_syslog_tls", 1);
      await createIngestor({ prisma }).ingest([req]);
      await runner.runOnce();
      await until(() => rsyslog.lines().length >= 2);
      const lines = rsyslog.lines();
      const byId = (id: string) => lines.find((l) => l.sd["portcullis@32473"]?.id === id);

      const d = byId(denied.id)!;
      expect(d).toMatchObject({ hostname: "pc-tls-host", appName: "portcullis", procId: String(process.pid), msgId: "gateway.auth_failed", pri: 13 * 8 + 4, timestamp: denied.occurredAt.toISOString() });
      expect(d.sd["portcullis@32473"]).toEqual({ stream: "audit", seq: denied.seq.toString(), id: denied.id, action: "gateway.auth_failed", actorType: "virtual_key", actorId: "vk_syslog", outcome: "denied", requestId: denied.requestId });
      expect(JSON.parse(d.msg)).toMatchObject({ id: denied.id, hash: denied.hash, prevHash: denied.prevHash, metadata: { policy: 'budget "team" ]' } });
      expect(byId(req.id)).toMatchObject({ msgId: "request", pri: 13 * 8 + 6 });
      expect(byId(req.id)!.sd["portcullis@32473"]).toMatchObject({ stream: "requests", id: req.id, virtualKeyId: "vk_syslog_tls", outcome: "success", status: "200" });
      expect(lines).toHaveLength(2);
      expect(await behind(trusted)).toEqual([["audit", "0", 0], ["requests", "0", 0]]);

      const refused = (await readExportLag(prisma)).find((l) => l.sinkId === wrongCa)!;
      expect(refused).toMatchObject({ behind: "1", failures: 1 });
      expect(refused.lastError).toMatch(/certificate|self[- ]signed|issuer/i);
    } finally {
      await runner.stop();
      await rsyslog.close();
      pki.close();
      otherPki.close();
    }
  });
});

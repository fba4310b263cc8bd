import { describe, expect, it } from "vitest";
import { formatOtlpLogs, toOtlpAnyValue } from "./otlp";
import { toExportRecord, type ExportRecord } from "./record";
import { formatJsonBatch, formatSplunkHecBatch } from "./splunk-hec";
import { formatSyslogMessage, frameOctetCounting } from "./syslog";
import { WEBHOOK_SIGNATURE_HEADER, signWebhookBody, verifyWebhookSignature } from "./webhook-signature";

const audit: ExportRecord = toExportRecord("audit", {
  seq: 12n,
  id: "evt_01",
  occurredAt: new Date("2026-02-03T04:05:06.789Z"),
  actorType: "virtual_key",
  actorId: "vk_1",
  action: "gateway.budget_denied",
  outcome: "denied",
  requestId: "req_1",
  metadata: { reason: 'limit "x" ] hit \\ now' },
});
const request: ExportRecord = toExportRecord("requests", {
  seq: 7n,
  id: "req_9",
  createdAt: new Date("2026-02-03T04:05:07.000Z"),
  virtualKeyId: "vk_1",
  modelUsed: "gpt-4o",
  outcome: "success",
  status: 200,
  costMicros: 1234n,
});

describe("export records", () => {
  it("carry seq and bigints as strings and times as ISO", () => {
    expect(audit).toMatchObject({ stream: "audit", seq: "12", id: "evt_01", time: "2026-02-03T04:05:06.789Z" });
    expect(request.data).toMatchObject({ seq: "7", costMicros: "1234", createdAt: "2026-02-03T04:05:07.000Z" });
  });
});

describe("RFC 5424 syslog", () => {
  it("writes header, structured data and JSON body", () => {
    const msg = formatSyslogMessage(audit, { hostname: "gw-1", procId: "77" });
    // facility 13 (log audit) * 8 + severity 4 (warning: a denial)
    expect(msg.startsWith("<108>1 2026-02-03T04:05:06.789Z gw-1 portcullis 77 gateway.budget_denied [portcullis@32473 ")).toBe(true);
    expect(msg).toContain('stream="audit" seq="12" id="evt_01" action="gateway.budget_denied" actorType="virtual_key" actorId="vk_1" outcome="denied" requestId="req_1"]');
    expect(JSON.parse(msg.slice(msg.indexOf("] ") + 2))).toEqual(audit.data);
  });

  it("escapes PARAM-VALUE characters and cleans header fields", () => {
    const r = { ...audit, data: { ...audit.data, action: 'bad "act]ion' } };
    const msg = formatSyslogMessage(r, { hostname: "host with space", facility: 16 });
    expect(msg).toContain('action="bad \\"act\\]ion"');
    expect(msg.split(" ")[2]).toBe("host_with_space");
    expect(msg.split(" ")[4]).toBe("-");
    expect(msg.split(" ")[5]).toBe('bad_"act]ion');
    expect(msg.startsWith("<132>1 ")).toBe(true); // facility local0 (16) * 8 + warning (4)
    expect(() => formatSyslogMessage(audit, { hostname: "h", facility: 24 })).toThrow(RangeError);
  });

  it("uses info for successful requests and MSGID request", () => {
    expect(formatSyslogMessage(request, { hostname: "h" })).toMatch(/^<110>1 \S+ h portcullis - request \[portcullis@32473 stream="requests" seq="7" id="req_9" virtualKeyId="vk_1" model="gpt-4o" outcome="success" status="200" costMicros="1234"\] \{/);
  });

  it("frames with the octet count of the UTF-8 bytes", () => {
    const framed = frameOctetCounting("héllo");
    expect(framed.toString("utf8")).toBe("6 héllo");
  });
});

describe("webhook bodies", () => {
  it("Splunk HEC: one {time, host, source, sourcetype, event} object per record", () => {
    const lines = formatSplunkHecBatch([audit, request], { host: "w1", index: "sec" }).split("\n").map((l) => JSON.parse(l));
    expect(lines[0]).toEqual({ time: 1770091506.789, host: "w1", source: "portcullis", sourcetype: "portcullis:audit", index: "sec", event: audit.data });
    expect(lines[1].sourcetype).toBe("portcullis:requests");
  });

  it("generic JSON wraps the records", () => {
    expect(JSON.parse(formatJsonBatch([request]))).toEqual({ source: "portcullis", records: [request] });
  });

  it("HMAC signature verifies, and fails for another body, secret or an old timestamp", () => {
    const body = formatJsonBatch([audit]);
    const header = signWebhookBody("s3cret", body, 1_000_000);
    expect(WEBHOOK_SIGNATURE_HEADER).toBe("x-portcullis-signature");
    expect(header).toMatch(/^t=1000000,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature("s3cret", body, header, { nowSeconds: 1_000_010 })).toBe(true);
    expect(verifyWebhookSignature("s3cret", `${body} `, header, { nowSeconds: 1_000_010 })).toBe(false);
    expect(verifyWebhookSignature("other", body, header, { nowSeconds: 1_000_010 })).toBe(false);
    expect(verifyWebhookSignature("s3cret", body, header, { nowSeconds: 1_000_000 + 301 })).toBe(false);
  });
});

describe("OTLP logs (HTTP/JSON)", () => {
  it("maps values to AnyValue", () => {
    expect(toOtlpAnyValue({ a: [1, 1.5, "x", true, null] })).toEqual({
      kvlistValue: { values: [{ key: "a", value: { arrayValue: { values: [{ intValue: "1" }, { doubleValue: 1.5 }, { stringValue: "x" }, { boolValue: true }, {}] } } }] },
    });
  });

  it("builds resourceLogs / scopeLogs per stream / logRecords", () => {
    const body = formatOtlpLogs([audit, request, audit], { hostName: "w1", now: new Date("2026-02-03T05:00:00Z") });
    const rl = body.resourceLogs[0]!;
    expect(rl.resource.attributes).toEqual([{ key: "service.name", value: { stringValue: "portcullis" } }, { key: "host.name", value: { stringValue: "w1" } }]);
    expect(rl.scopeLogs.map((s) => [s.scope.name, s.logRecords.length])).toEqual([["portcullis.audit", 2], ["portcullis.requests", 1]]);
    const rec = rl.scopeLogs[0]!.logRecords[0]!;
    expect(rec).toMatchObject({ timeUnixNano: "1770091506789000000", observedTimeUnixNano: "1770094800000000000", severityNumber: 13, severityText: "WARN" });
    expect(rec.attributes).toContainEqual({ key: "portcullis.seq", value: { stringValue: "12" } });
    expect(rl.scopeLogs[1]!.logRecords[0]!.severityNumber).toBe(9);
  });
});

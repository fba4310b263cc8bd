import { describe, expect, it } from "vitest";
import { alertEventFromRecord, decisionEventFromRecord, requestEventFromRecord, type GatewayRequestRecord } from "./gateway-sink";
import { alertToAuditInput, decisionToAuditInput } from "./mapping";
import { alertEventSchema, decisionEventSchema, portcullisEventSchema, requestEventSchema } from "./types";

const record: GatewayRequestRecord = {
  id: "req_01jabcdefghjkmnpqrstvwxyz0",
  at: Date.UTC(2026, 1, 1, 12),
  endpoint: "chat.completions",
  virtualKeyId: "vk_1",
  teamId: "team_1",
  customerId: null,
  tenantId: "acme",
  modelRequested: "gpt-4o",
  provider: "openai",
  providerKeyId: "pk_1",
  modelUsed: "gpt-4o-2024-08-06",
  params: { temperature: 0.1 },
  inputTokens: 10,
  outputTokens: 20,
  cachedReadTokens: 3,
  cachedWriteTokens: 0,
  latencyMs: 420,
  ttftMs: 80,
  costMicros: 1500,
  outcome: "success",
  errorCode: null,
  status: 200,
  attempts: 2,
  fallbackPath: ["pk_0", "pk_1"],
  stream: true,
  metadata: {},
};

describe("event schemas", () => {
  it("accept what the gateway adapter builds from its records", () => {
    const e = requestEventSchema.parse(requestEventFromRecord(record));
    expect(e).toMatchObject({ id: record.id, time: "2026-02-01T12:00:00.000Z", identity: { virtualKeyId: "vk_1", tenantId: "acme" }, tokens: { input: 10, output: 20, cachedRead: 3, cachedWrite: 0 }, fallbackPath: ["pk_0", "pk_1"] });
    const d = decisionEventSchema.parse(
      decisionEventFromRecord({ id: "evt_1", at: 0, action: "gateway.budget_denied", outcome: "denied", keyId: "vk_1", requestId: "req_1", ip: "10.0.0.1", userAgent: "sdk", reason: "team budget", code: "budget_exceeded", policyId: "bud_1" }),
    );
    expect(d).toMatchObject({ actor: { type: "virtual_key", id: "vk_1" }, metadata: { reason: "team budget", code: "budget_exceeded", policyId: "bud_1" } });
    const a = alertEventSchema.parse(alertEventFromRecord({ kind: "budget_soft_threshold", at: 0, budgetId: "bud_1", label: "team", thresholdPct: 80, spentMicros: 8, limitMicros: 10, webhookUrl: null }, "evt_2"));
    expect(a).toMatchObject({ kind: "budget.soft_threshold_crossed", subject: { type: "budget", id: "bud_1" } });
  });

  it("fill defaults and reject malformed events", () => {
    const minimal = requestEventSchema.parse({ v: 1, type: "request", id: "req_1", time: "2026-01-01T00:00:00Z", endpoint: "embeddings", outcome: "error" });
    expect(minimal).toMatchObject({ identity: {}, tokens: { input: 0, output: 0, cachedRead: 0, cachedWrite: 0 }, costMicros: 0, attempts: 1, fallbackPath: [], stream: false });
    expect(portcullisEventSchema.safeParse({ ...minimal, id: "vk_1" }).success).toBe(false);
    expect(portcullisEventSchema.safeParse({ ...minimal, time: "yesterday" }).success).toBe(false);
    expect(portcullisEventSchema.safeParse({ ...minimal, costMicros: -1 }).success).toBe(false);
    expect(portcullisEventSchema.safeParse({ ...minimal, type: "other" }).success).toBe(false);
    expect(decisionEventSchema.safeParse({ v: 1, type: "decision", id: "evt_1", time: minimal.time, actor: { type: "anonymous" }, action: "virtual_key.create" }).success).toBe(false);
  });
});

describe("audit mapping", () => {
  it("records an anonymous caller as the system actor labelled anonymous", () => {
    const d = decisionEventSchema.parse({ v: 1, type: "decision", id: "evt_9", time: "2026-01-01T00:00:00.000Z", node: "gw-2", actor: { type: "anonymous" }, action: "gateway.auth_failed", outcome: "failure", requestId: "req_9", ip: "1.2.3.4", metadata: { code: "invalid_api_key" } });
    expect(decisionToAuditInput(d)).toEqual({
      id: "evt_9", occurredAt: new Date("2026-01-01T00:00:00.000Z"), actorType: "system", actorId: null, actorLabel: "anonymous", action: "gateway.auth_failed",
      targetType: null, targetId: null, ip: "1.2.3.4", userAgent: null, requestId: "req_9", outcome: "failure", metadata: { code: "invalid_api_key", node: "gw-2" },
    });
  });

  it("keeps alerts in the chain; a rejected config signature is a failure", () => {
    const a = alertEventSchema.parse({ v: 1, type: "alert", id: "evt_3", time: "2026-01-01T00:00:00.000Z", kind: "config.signature_rejected", severity: "critical", message: "bad signature", metadata: { version: 42 } });
    expect(alertToAuditInput(a)).toMatchObject({ actorType: "system", action: "config.signature_rejected", outcome: "failure", metadata: { version: 42, severity: "critical", message: "bad signature" } });
  });
});

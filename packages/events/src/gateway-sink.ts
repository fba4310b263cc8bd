import { newId } from "@portcullis/core";
import type { PortcullisEventEmitter } from "./emitter";
import type { AlertEventInput, DecisionEventInput, RequestEventInput } from "./types";

/**
 * The record shapes the gateway hands its event sink (apps/gateway/src/events.ts), described
 * structurally here so this package does not depend on the gateway.
 */
export interface GatewayRequestRecord {
  id: string;
  at: number;
  endpoint: string;
  virtualKeyId: string | null;
  teamId: string | null;
  customerId: string | null;
  tenantId: string | null;
  userLabel?: string | null;
  modelRequested: string | null;
  provider: string | null;
  providerKeyId: string | null;
  modelUsed: string | null;
  params: Record<string, unknown>;
  inputTokens: number;
  outputTokens: number;
  cachedReadTokens: number;
  cachedWriteTokens: number;
  latencyMs: number;
  ttftMs: number | null;
  costMicros: number;
  outcome: "success" | "error" | "denied" | "incomplete";
  errorCode: string | null;
  status: number;
  attempts: number;
  fallbackPath: string[];
  stream: boolean;
  guardrails?: RequestEventInput["guardrails"];
  requestBody?: unknown;
  responseBody?: unknown;
  metadata: Record<string, unknown>;
}

export interface GatewayDecisionRecord {
  id: string;
  at: number;
  action: string;
  outcome: "denied" | "failure";
  keyId: string | null;
  requestId: string;
  ip: string | null;
  userAgent: string | null;
  reason: string;
  code: string;
  /** Policy that decided, when known (budget / rate limit / guardrail id). */
  policyId?: string | null;
}

export type GatewayAlertRecord = BudgetAlertRecord | ConfigRejectedAlertRecord;

export interface BudgetAlertRecord {
  kind: "budget_soft_threshold";
  at: number;
  budgetId: string;
  label: string;
  thresholdPct: number;
  spentMicros: number;
  limitMicros: number;
  webhookUrl: string | null;
}

/** Configuration that failed verification (bad signature, altered content) and was kept out. */
export interface ConfigRejectedAlertRecord {
  kind: "config_signature_rejected";
  at: number;
  /** The version it claimed, when readable. */
  version: string | null;
  /** Where it came from: the bus (Redis), PostgreSQL or the disk cache. */
  source: string;
  reason: string;
  node: string;
}

export interface GatewayEventSink {
  request(r: GatewayRequestRecord): void;
  decision(d: GatewayDecisionRecord): void;
  alert(a: GatewayAlertRecord): void;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function requestEventFromRecord(r: GatewayRequestRecord): RequestEventInput {
  return {
    v: 1,
    type: "request",
    id: r.id,
    time: iso(r.at),
    identity: { virtualKeyId: r.virtualKeyId, teamId: r.teamId, customerId: r.customerId, tenantId: r.tenantId, userLabel: r.userLabel ?? null },
    endpoint: r.endpoint,
    modelRequested: r.modelRequested,
    provider: r.provider,
    providerKeyId: r.providerKeyId,
    modelUsed: r.modelUsed,
    stream: r.stream,
    params: r.params,
    tokens: { input: r.inputTokens, output: r.outputTokens, cachedRead: r.cachedReadTokens, cachedWrite: r.cachedWriteTokens },
    latencyMs: r.latencyMs,
    ttftMs: r.ttftMs,
    costMicros: r.costMicros,
    outcome: r.outcome,
    errorCode: r.errorCode,
    status: r.status,
    attempts: r.attempts,
    fallbackPath: r.fallbackPath,
    ...(r.guardrails !== undefined ? { guardrails: r.guardrails } : {}),
    ...(r.requestBody !== undefined ? { requestBody: r.requestBody } : {}),
    ...(r.responseBody !== undefined ? { responseBody: r.responseBody } : {}),
    metadata: r.metadata,
  };
}

export function decisionEventFromRecord(d: GatewayDecisionRecord): DecisionEventInput {
  return {
    v: 1,
    type: "decision",
    id: d.id,
    time: iso(d.at),
    actor: d.keyId ? { type: "virtual_key", id: d.keyId } : { type: "anonymous" },
    action: d.action,
    outcome: d.outcome,
    requestId: d.requestId,
    ip: d.ip,
    userAgent: d.userAgent,
    // The reason text and error code name the policy; the presented key never appears here.
    metadata: { reason: d.reason, code: d.code, ...(d.policyId ? { policyId: d.policyId } : {}) },
  };
}

export function alertEventFromRecord(a: GatewayAlertRecord, id: string): AlertEventInput {
  if (a.kind === "config_signature_rejected") {
    return {
      v: 1,
      type: "alert",
      id,
      time: iso(a.at),
      kind: "config.signature_rejected",
      severity: "critical",
      subject: { type: "config_version", id: a.version ?? "unknown" },
      message: `gateway ${a.node} refused configuration${a.version ? ` v${a.version}` : ""} from ${a.source}: ${a.reason}`,
      metadata: { node: a.node, source: a.source, version: a.version, reason: a.reason },
    };
  }
  return {
    v: 1,
    type: "alert",
    id,
    time: iso(a.at),
    kind: "budget.soft_threshold_crossed",
    severity: "warning",
    subject: { type: "budget", id: a.budgetId },
    message: `budget ${a.label} crossed ${a.thresholdPct}% of its limit`,
    metadata: { label: a.label, thresholdPct: a.thresholdPct, spentMicros: a.spentMicros, limitMicros: a.limitMicros, webhookUrl: a.webhookUrl },
  };
}

/** The gateway's event sink over an emitter: `events: createGatewayEventSink(emitter)`. */
export function createGatewayEventSink(emitter: Pick<PortcullisEventEmitter, "emit">): GatewayEventSink {
  return {
    request: (r) => emitter.emit(requestEventFromRecord(r)),
    decision: (d) => emitter.emit(decisionEventFromRecord(d)),
    // Alerts get their id here, before any spooling, so a replay is recognized as the same alert.
    alert: (a) => emitter.emit(alertEventFromRecord(a, newId("auditEvent"))),
  };
}

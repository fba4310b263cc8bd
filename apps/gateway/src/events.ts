import type { Context } from "hono";
import type { ErrorCode } from "@portcullis/core";
import { clientIp } from "./middleware/virtual-key-auth";

/** What the gateway records about one request (one row of the request log). */
export interface RequestRecord {
  id: string;
  at: number;
  endpoint: string;
  virtualKeyId: string | null;
  teamId: string | null;
  customerId: string | null;
  tenantId: string | null;
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
  errorCode: ErrorCode | null;
  status: number;
  attempts: number;
  fallbackPath: string[];
  stream: boolean;
  metadata: Record<string, unknown>;
}

/** A governance decision for the audit trail (auth failures, denials). */
export interface DecisionRecord {
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
}

export interface AlertRecord {
  kind: "budget_soft_threshold";
  at: number;
  budgetId: string;
  label: string;
  thresholdPct: number;
  spentMicros: number;
  limitMicros: number;
  webhookUrl: string | null;
}

/** Where request logs, decisions and alerts go; never blocks and never throws. */
export interface EventSink {
  request(r: RequestRecord): void;
  decision(d: DecisionRecord): void;
  alert(a: AlertRecord): void;
}

export interface DecisionInput {
  action: string;
  outcome: "denied" | "failure";
  keyId?: string;
  reason: string;
  code: string;
}

export interface GatewayEvents {
  request(r: RequestRecord): void;
  decision(c: Context, d: DecisionInput): void;
  alert(a: AlertRecord): void;
}

/** Adds request context (ids, ip, user agent) to decisions before handing them to the sink. */
export function createGatewayEvents(sink: EventSink, now: () => number, newId: () => string): GatewayEvents {
  return {
    request: (r) => sink.request(r),
    alert: (a) => sink.alert(a),
    decision(c, d) {
      sink.decision({
        id: newId(), at: now(), action: d.action, outcome: d.outcome, keyId: d.keyId ?? null,
        requestId: c.get("requestId"), ip: clientIp(c) ?? null, userAgent: c.req.header("user-agent") ?? null,
        reason: d.reason, code: d.code,
      });
    },
  };
}

/** Keeps events in memory (tests, and the benchmark's logging-on baseline before the worker exists). */
export function createMemorySink(limit = 10_000): EventSink & { requests: RequestRecord[]; decisions: DecisionRecord[]; alerts: AlertRecord[] } {
  const requests: RequestRecord[] = [];
  const decisions: DecisionRecord[] = [];
  const alerts: AlertRecord[] = [];
  const push = <T>(list: T[], v: T) => {
    list.push(v);
    if (list.length > limit) list.shift();
  };
  return { requests, decisions, alerts, request: (r) => push(requests, r), decision: (d) => push(decisions, d), alert: (a) => push(alerts, a) };
}

/** One JSON line per event on stdout, for log shippers; the worker pipeline replaces it where configured. */
export function createStdoutSink(write: (line: string) => void = (l) => process.stdout.write(l)): EventSink {
  const out = (kind: string, v: object) => write(`${JSON.stringify({ kind, ...v })}\n`);
  return { request: (r) => out("request", r), decision: (d) => out("decision", d), alert: (a) => out("alert", a) };
}

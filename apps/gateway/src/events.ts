import type { Context } from "hono";
import { PortcullisError, type ErrorCode } from "@portcullis/core";
import type { GatewayAlertRecord, GatewayDecisionRecord, GatewayRequestRecord } from "@portcullis/events";
import { clientIp } from "./middleware/virtual-key-auth";

/**
 * The record shapes are the event pipeline's (`@portcullis/events`), so the gateway and the
 * worker agree on one definition; the gateway narrows the error code to its own enum.
 */
export type RequestRecord = GatewayRequestRecord & { errorCode: ErrorCode | null };
export type DecisionRecord = GatewayDecisionRecord;
export type AlertRecord = GatewayAlertRecord;

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

/** Error codes that are governance refusals, and the decision action each is recorded as. */
const denialActions: Partial<Record<ErrorCode, string>> = {
  rate_limited: "gateway.rate_limited",
  budget_exceeded: "gateway.budget_denied",
  model_not_allowed: "gateway.model_denied",
  provider_not_allowed: "gateway.provider_denied",
};

/** Records a thrown governance refusal (rate limit, budget, allow-list) as a decision; other errors pass. */
export function recordDenial(c: Context, e: unknown): void {
  if (!(e instanceof PortcullisError)) return;
  const action = denialActions[e.code];
  if (action) c.get("services").events.decision(c, { action, outcome: "denied", keyId: c.get("auth").key.id, reason: e.message, code: e.code });
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

export interface StdoutSinkOptions {
  /** Lines wait at most this long to be written together (one write instead of one per request). */
  flushMs?: number;
  /** Written at once when this much is waiting. */
  maxPendingChars?: number;
}

/** `{"kind":<kind>,...fields}`: the same bytes as `JSON.stringify({ kind, ...v })` for a record without a `kind` of its own. */
function lineOf(kind: string, v: object): string {
  const json = JSON.stringify(v);
  const head = `{"kind":${JSON.stringify(kind)}`;
  return json === "{}" ? `${head}}\n` : `${head},${json.slice(1)}\n`;
}

/**
 * One JSON line per event on stdout, for log shippers; the worker pipeline replaces it
 * where configured. Lines are batched for a few ms into one write: stdout into a pipe
 * is a synchronous write(2) on Linux, and one per request costs more than the request
 * log itself. Whatever is waiting is written when the process exits.
 */
export function createStdoutSink(write: (chunk: string) => void = (l) => process.stdout.write(l), opts: StdoutSinkOptions = {}): EventSink & { flush(): void } {
  const flushMs = opts.flushMs ?? 5;
  const maxPending = opts.maxPendingChars ?? 64 * 1024;
  let pending = "";
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (!pending) return;
    const chunk = pending;
    pending = "";
    write(chunk);
  };
  const push = (line: string) => {
    pending += line;
    if (pending.length >= maxPending) flush();
    else if (!timer) {
      timer = setTimeout(flush, flushMs);
      timer.unref();
    }
  };
  process.once("exit", flush);
  return {
    request: (r) => push(lineOf("request", r)),
    decision: (d) => push(lineOf("decision", d)),
    // An alert carries its own `kind`: first key, its own value (as `{ kind: "alert", ...a }` had it).
    alert: ({ kind, ...rest }) => push(lineOf(kind, rest)),
    flush,
  };
}

import type { Context } from "hono";
import type { ChatChunk, ErrorCode } from "@portcullis/core";
import { redactAndCapBody, type NormalizedUsage } from "@portcullis/policy";
import type { RequestRecord } from "../events";
import type { ResolvedTarget } from "../routing/resolve-targets";
import { logsBodies, StreamAssembler } from "./body-capture";

/**
 * Collects what one request did, then reports it exactly once: a request-log event
 * and the Prometheus series. Response headers name the provider and model used.
 */
export class RequestTrace {
  readonly record: RequestRecord;
  private done = false;
  private readonly started: number;
  /** Set only when bodies are logged for this request; redacted and capped at finish. */
  private readonly bodies: { maxBytes: number; request: unknown; response?: unknown; stream?: StreamAssembler } | undefined;

  constructor(private readonly c: Context, endpoint: string, stream: boolean) {
    const auth = c.get("auth");
    const key = auth?.key;
    this.started = performance.now();
    this.record = {
      id: c.get("requestId"), at: c.get("services").now(), endpoint,
      virtualKeyId: key?.id ?? null, teamId: key?.teamId ?? null,
      customerId: key?.customerId ?? (key?.teamId ? auth.snapshot.teams[key.teamId]?.customerId ?? null : null),
      tenantId: null, modelRequested: null, provider: null, providerKeyId: null, modelUsed: null, params: {},
      inputTokens: 0, outputTokens: 0, cachedReadTokens: 0, cachedWriteTokens: 0, latencyMs: 0, ttftMs: null,
      costMicros: 0, outcome: "success", errorCode: null, status: 200, attempts: 0, fallbackPath: [], stream,
      metadata: key?.metadata ?? {},
    };
    const { bodyLogging } = c.get("services");
    if (bodyLogging.mode !== "off" && logsBodies(bodyLogging, key?.metadata)) {
      this.bodies = { maxBytes: bodyLogging.maxBytes, request: c.get("body") };
    }
  }

  /** The response body as the client received it (non-streamed, or a stream's final object). */
  responseBody(body: unknown): void {
    if (this.bodies) this.bodies.response = body;
  }

  /** A streamed chunk: assembled into the message it carries, when bodies are logged. */
  streamChunk(chunk: ChatChunk): void {
    if (!this.bodies) return;
    // Text past a few times the cap would be cut anyway; don't hold it.
    this.bodies.stream ??= new StreamAssembler(this.bodies.maxBytes * 2);
    this.bodies.stream.push(chunk);
  }

  target(t: ResolvedTarget): void {
    this.record.tenantId = this.c.get("tenantId") ?? null;
    this.record.provider = t.provider.name;
    this.record.providerKeyId = t.providerKey.id;
    this.record.modelUsed = t.upstreamModel;
    this.record.attempts += 1;
    this.record.fallbackPath.push(`${t.provider.name}/${t.providerKey.name}`);
  }

  /** The last attempt failed: its path entry says why (e.g. `openai/prod (429 …)`). */
  failed(reason: string): void {
    const i = this.record.fallbackPath.length - 1;
    if (i >= 0) this.record.fallbackPath[i] = `${this.record.fallbackPath[i]} (${reason.slice(0, 120)})`;
  }

  /** A target passed over without an attempt (e.g. its circuit is open). */
  skipped(t: ResolvedTarget, reason: string): void {
    this.record.fallbackPath.push(`${t.provider.name}/${t.providerKey.name} (skipped: ${reason})`);
  }

  /** Headers naming what actually served the request and how it got there. */
  targetHeaders(t: ResolvedTarget): Record<string, string> {
    return {
      "x-portcullis-provider": t.provider.name,
      "x-portcullis-provider-key": t.providerKey.name,
      "x-portcullis-model": t.upstreamModel,
      "x-portcullis-attempts": String(this.record.attempts),
      "x-portcullis-fallback-path": this.record.fallbackPath.map((p) => encodeURIComponent(p)).join(","),
    };
  }

  firstToken(): void {
    this.record.ttftMs ??= Math.round(performance.now() - this.started);
  }

  usage(u: NormalizedUsage | undefined, costMicros: number): void {
    if (u) {
      this.record.inputTokens = u.inputTokens;
      this.record.outputTokens = u.outputTokens;
      this.record.cachedReadTokens = u.cachedReadTokens;
      this.record.cachedWriteTokens = u.cachedWriteTokens;
    }
    this.record.costMicros = costMicros;
  }

  finish(status: number, outcome: RequestRecord["outcome"], errorCode?: ErrorCode): void {
    if (this.done) return;
    this.done = true;
    const r = this.record;
    r.status = status;
    r.outcome = outcome;
    r.errorCode = errorCode ?? null;
    const elapsedMs = performance.now() - this.started;
    r.latencyMs = Math.round(elapsedMs);
    if (this.bodies) {
      const b = this.bodies;
      if (b.request !== undefined) r.requestBody = redactAndCapBody(b.request, b.maxBytes);
      const response = b.response ?? b.stream?.result();
      if (response !== undefined) r.responseBody = redactAndCapBody(response, b.maxBytes);
    }
    const { events, metrics } = this.c.get("services");
    events.request(r);
    const provider = r.provider ?? "none";
    const model = r.modelUsed ?? "none";
    metrics.requests.inc({ route: r.endpoint, provider, model, status: String(status) });
    metrics.duration.observe({ route: r.endpoint, provider, model }, elapsedMs / 1000);
    if (r.ttftMs !== null) metrics.ttft.observe({ provider, model }, r.ttftMs / 1000);
    if (errorCode) metrics.errors.inc({ route: r.endpoint, code: errorCode });
    if (r.inputTokens) metrics.tokens.inc({ provider, model, kind: "input" }, r.inputTokens);
    if (r.outputTokens) metrics.tokens.inc({ provider, model, kind: "output" }, r.outputTokens);
    if (r.cachedReadTokens) metrics.tokens.inc({ provider, model, kind: "cached_read" }, r.cachedReadTokens);
    if (r.cachedWriteTokens) metrics.tokens.inc({ provider, model, kind: "cached_write" }, r.cachedWriteTokens);
  }
}

const deniedCodes = new Set<ErrorCode>([
  "unauthenticated", "invalid_key", "key_revoked", "key_disabled", "key_expired", "ip_not_allowed", "forbidden",
  "model_not_allowed", "provider_not_allowed", "endpoint_not_allowed", "tenant_header_missing", "tenant_header_invalid",
  "rate_limited", "budget_exceeded", "guardrail_blocked",
]);

/** `denied` for governance decisions, `error` for everything else. */
export function outcomeOf(code: ErrorCode): "denied" | "error" {
  return deniedCodes.has(code) ? "denied" : "error";
}

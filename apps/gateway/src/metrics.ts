import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** Prometheus metrics of the hot path; one registry per gateway instance. */
export interface GatewayMetrics {
  registry: Registry;
  requests: Counter<"route" | "provider" | "model" | "status">;
  duration: Histogram<"route" | "provider" | "model">;
  upstreamDuration: Histogram<"provider" | "model">;
  ttft: Histogram<"provider" | "model">;
  tokens: Counter<"provider" | "model" | "kind">;
  errors: Counter<"route" | "code">;
}

const latencyBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

export function createMetrics(opts: { defaultMetrics?: boolean } = {}): GatewayMetrics {
  const registry = new Registry();
  if (opts.defaultMetrics) collectDefaultMetrics({ register: registry, prefix: "portcullis_gateway_" });
  return {
    registry,
    requests: new Counter({ name: "portcullis_requests_total", help: "Requests by route, provider, model and HTTP status", labelNames: ["route", "provider", "model", "status"], registers: [registry] }),
    duration: new Histogram({ name: "portcullis_request_duration_seconds", help: "Whole-request latency", labelNames: ["route", "provider", "model"], buckets: latencyBuckets, registers: [registry] }),
    upstreamDuration: new Histogram({ name: "portcullis_upstream_duration_seconds", help: "Upstream latency until the response headers", labelNames: ["provider", "model"], buckets: latencyBuckets, registers: [registry] }),
    ttft: new Histogram({ name: "portcullis_time_to_first_token_seconds", help: "Streaming time to first token", labelNames: ["provider", "model"], buckets: latencyBuckets, registers: [registry] }),
    tokens: new Counter({ name: "portcullis_tokens_total", help: "Tokens by provider, model and kind (input, output, cached_read, cached_write)", labelNames: ["provider", "model", "kind"], registers: [registry] }),
    errors: new Counter({ name: "portcullis_errors_total", help: "Error responses by route and error code", labelNames: ["route", "code"], registers: [registry] }),
  };
}

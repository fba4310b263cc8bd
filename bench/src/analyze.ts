import type { LatencyRound, StreamRound, ThroughputRound } from "./scenarios";
import type { VariantId } from "./stack";
import { median, round } from "./stats";

type Pick = (r: LatencyRound) => number;

/** Median over rounds of a per-round difference: both sides of each difference ran back to back. */
function pairedDelta(rounds: readonly LatencyRound[], a: VariantId, b: VariantId, pick: Pick): number {
  const diffs: number[] = [];
  for (const ra of rounds.filter((r) => r.variant === a)) {
    const rb = rounds.find((r) => r.variant === b && r.round === ra.round && r.rate === ra.rate);
    if (rb) diffs.push(pick(ra) - pick(rb));
  }
  return round(median(diffs));
}

export interface LatencyFigures {
  variant: VariantId;
  p50Ms: number;
  p99Ms: number;
  /** Same percentiles counted from the actual send, without the generator's timer lag. */
  serviceP50Ms: number;
  addedP50Ms: number;
  addedP99Ms: number;
  addedServiceP50Ms: number;
  overFloorP50Ms: number;
  ratioP50: number;
  ok: number;
  errors: number;
  dropped: number;
  achievedRate: number;
  sendLagP99Ms: number;
  /** CPU of the proxy process per request, µs (scheduler accounting, robust to waiting on a busy core). */
  cpuUsPerRequest: number;
  firstError?: string;
}

function latencyFigures(rounds: readonly LatencyRound[], variant: VariantId): LatencyFigures {
  const own = rounds.filter((r) => r.variant === variant);
  const direct = rounds.filter((r) => r.variant === "direct");
  const p50 = median(own.map((r) => r.latency.p50));
  const firstError = own.find((r) => r.firstError)?.firstError;
  return {
    variant,
    p50Ms: round(p50),
    p99Ms: round(median(own.map((r) => r.latency.p99))),
    serviceP50Ms: round(median(own.map((r) => r.service.p50))),
    addedP50Ms: pairedDelta(rounds, variant, "direct", (r) => r.latency.p50),
    addedP99Ms: pairedDelta(rounds, variant, "direct", (r) => r.latency.p99),
    addedServiceP50Ms: pairedDelta(rounds, variant, "direct", (r) => r.service.p50),
    overFloorP50Ms: pairedDelta(rounds, variant, "floor", (r) => r.latency.p50),
    ratioP50: round(p50 / median(direct.map((r) => r.latency.p50)), 2),
    ok: own.reduce((s, r) => s + r.ok, 0),
    errors: own.reduce((s, r) => s + r.errors, 0),
    dropped: own.reduce((s, r) => s + r.dropped, 0),
    achievedRate: round(median(own.map((r) => r.achievedRate)), 0),
    sendLagP99Ms: round(median(own.map((r) => r.sendLag.p99))),
    cpuUsPerRequest: round(median(own.map((r) => r.cpuUsPerRequest)), 1),
    ...(firstError ? { firstError } : {}),
  };
}

export function analyzeLatency(rounds: readonly LatencyRound[], variants: readonly VariantId[], rates: readonly number[]) {
  return rates.map((rate) => {
    const at = rounds.filter((r) => r.rate === rate);
    const has = (v: VariantId) => variants.includes(v);
    return {
      rate,
      variants: variants.map((v) => latencyFigures(at, v)),
      /** The governance path: the production gateway (in-memory counters) minus the same gateway with governance off. */
      governanceP50Ms: pairedDelta(at, "gateway", "gateway-gov-off", (r) => r.latency.p50),
      governanceP99Ms: pairedDelta(at, "gateway", "gateway-gov-off", (r) => r.latency.p99),
      governanceRedisP50Ms: has("gateway-redis") ? pairedDelta(at, "gateway-redis", "gateway-gov-off", (r) => r.latency.p50) : Number.NaN,
      governanceRedisP99Ms: has("gateway-redis") ? pairedDelta(at, "gateway-redis", "gateway-gov-off", (r) => r.latency.p99) : Number.NaN,
    };
  });
}

export function analyzeStreaming(rounds: readonly StreamRound[], variants: readonly VariantId[]) {
  const ttfb: Pick = (r) => (r as StreamRound).firstByte.p50;
  const ttfb99: Pick = (r) => (r as StreamRound).firstByte.p99;
  const ttft: Pick = (r) => (r as StreamRound).firstToken.p50;
  return variants.map((variant) => {
    const own = rounds.filter((r) => r.variant === variant);
    return {
      variant,
      firstByteP50Ms: round(median(own.map((r) => r.firstByte.p50))),
      firstByteP99Ms: round(median(own.map((r) => r.firstByte.p99))),
      totalP50Ms: round(median(own.map((r) => r.latency.p50))),
      totalP99Ms: round(median(own.map((r) => r.latency.p99))),
      addedFirstByteP50Ms: pairedDelta(rounds, variant, "direct", ttfb),
      addedFirstByteP99Ms: pairedDelta(rounds, variant, "direct", ttfb99),
      firstTokenP50Ms: round(median(own.map((r) => r.firstToken.p50))),
      addedFirstTokenP50Ms: pairedDelta(rounds, variant, "direct", ttft),
      addedTotalP50Ms: pairedDelta(rounds, variant, "direct", (r) => r.latency.p50),
      cpuUsPerRequest: round(median(own.map((r) => r.cpuUsPerRequest)), 1),
      ok: own.reduce((s, r) => s + r.ok, 0),
      errors: own.reduce((s, r) => s + r.errors, 0),
      dropped: own.reduce((s, r) => s + r.dropped, 0),
    };
  });
}

export function analyzeThroughput(rounds: readonly ThroughputRound[]) {
  const ids = [...new Set(rounds.map((r) => r.variant))];
  const rpsOf = (id: ThroughputRound["variant"]) => median(rounds.filter((r) => r.variant === id).map((r) => r.rps));
  const direct = rpsOf("direct");
  const cpuOf = (id: ThroughputRound["variant"]) => median(rounds.filter((r) => r.variant === id).map((r) => r.cpuUsPerRequest));
  return ids.map((variant) => {
    const own = rounds.filter((r) => r.variant === variant);
    const cpuUs = cpuOf(variant);
    return {
      variant,
      rps: round(rpsOf(variant), 0),
      ratioToDirect: round(rpsOf(variant) / direct, 2),
      perRoundRps: own.map((r) => round(r.rps, 0)),
      errors: own.reduce((s, r) => s + r.errors, 0),
      cpuUsPerRequest: round(cpuUs, 1),
      /** What one core would serve at that CPU cost per request, with nothing else on it. */
      cpuBoundRps: round(1e6 / cpuUs, 0),
      /** CPU per request over the minimal proxy's: the figure that carries over to other machines. */
      cpuVsFloor: round(cpuUs / cpuOf("floor"), 2),
      tool: rounds[0]?.tool ?? "node",
    };
  });
}

export type LatencyAnalysis = ReturnType<typeof analyzeLatency>;
export type StreamingAnalysis = ReturnType<typeof analyzeStreaming>;
export type ThroughputAnalysis = ReturnType<typeof analyzeThroughput>;

import { describe, expect, it } from "vitest";
import { analyzeLatency, analyzeThroughput } from "./analyze";
import type { LatencyRound, ThroughputRound } from "./scenarios";
import type { VariantId } from "./stack";
import { summarize } from "./stats";

function latencyRound(variant: VariantId, round: number, p50: number): LatencyRound {
  const samples = Array.from({ length: 99 }, () => p50);
  return {
    round, variant, rate: 500, ok: 99, errors: 0, dropped: 0, achievedRate: 500, latency: summarize(samples), service: summarize(samples),
    sendLag: summarize([0]), cpuUsPerRequest: variant === "direct" ? Number.NaN : 100,
  };
}

describe("analyzeLatency", () => {
  it("pairs each variant with direct within a round and takes the median over rounds", () => {
    const rounds = [
      latencyRound("direct", 0, 1), latencyRound("gateway", 0, 1.4), latencyRound("gateway-gov-off", 0, 1.3), latencyRound("floor", 0, 1.1),
      // A noisy round where everything was slow: the paired difference stays small.
      latencyRound("direct", 1, 20), latencyRound("gateway", 1, 20.5), latencyRound("gateway-gov-off", 1, 20.2), latencyRound("floor", 1, 20.1),
      latencyRound("direct", 2, 1), latencyRound("gateway", 2, 1.3), latencyRound("gateway-gov-off", 2, 1.25), latencyRound("floor", 2, 1.05),
    ];
    const [at500] = analyzeLatency(rounds, ["direct", "floor", "gateway", "gateway-gov-off"], [500]);
    const gw = at500!.variants.find((v) => v.variant === "gateway")!;
    expect(gw.addedP50Ms).toBe(0.4);
    expect(gw.overFloorP50Ms).toBe(0.3);
    expect(gw.p50Ms).toBe(1.4);
    expect(at500!.governanceP50Ms).toBe(0.1);
    expect(at500!.governanceRedisP50Ms).toBeNaN();
  });
});

describe("analyzeThroughput", () => {
  it("gives the ratio to direct, the CPU-bound rate and the CPU over the floor", () => {
    const t = (variant: ThroughputRound["variant"], rps: number, cpu: number): ThroughputRound => ({
      round: 0, variant, rps, requests: rps, errors: 0, tool: "wrk", cpuUsPerRequest: cpu,
    });
    const rows = analyzeThroughput([t("direct", 20_000, Number.NaN), t("floor", 8_000, 100), t("gateway", 4_000, 250)]);
    const gw = rows.find((r) => r.variant === "gateway")!;
    expect(gw).toMatchObject({ rps: 4000, ratioToDirect: 0.2, cpuUsPerRequest: 250, cpuBoundRps: 4000, cpuVsFloor: 2.5 });
  });
});

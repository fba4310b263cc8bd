import type { Pool } from "undici";
import { createPool, runClosedLoop, runOpenLoop, type Endpoint } from "./open-loop";
import { cpuTimeNs } from "./processes";
import type { BenchSettings } from "./settings";
import type { Variant, VariantId } from "./stack";
import { summarize, type Percentiles } from "./stats";
import { findWrk, runWrk } from "./wrk";

export interface LatencyRound {
  round: number;
  variant: VariantId;
  rate: number;
  ok: number;
  errors: number;
  dropped: number;
  achievedRate: number;
  /** From the scheduled send time. */
  latency: Percentiles;
  /** From the actual send time. */
  service: Percentiles;
  sendLag: Percentiles;
  /** CPU the proxy process used per request in the round, µs (NaN for direct calls). */
  cpuUsPerRequest: number;
  firstError?: string;
}

export interface StreamRound extends LatencyRound {
  firstByte: Percentiles;
  firstToken: Percentiles;
}

export interface ThroughputRound {
  round: number;
  variant: VariantId | "direct-simulator";
  rps: number;
  requests: number;
  errors: number;
  tool: "wrk" | "node";
  cpuUsPerRequest: number;
  firstError?: string;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Each round visits the variants in a rotated order, so none always runs first or right after the same neighbour. */
export function rotated<T>(items: readonly T[], round: number): T[] {
  const k = round % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

export class ScenarioRunner {
  private readonly pools = new Map<string, Pool>();
  /** Requests each variant was sent (warm-ups included), to check the gateways logged one line each. */
  readonly sent = new Map<VariantId, number>();

  private variants: Variant[];

  constructor(private readonly s: BenchSettings, variants: readonly Variant[], private readonly log: (line: string) => void) {
    this.variants = [...variants];
  }

  /** The variants still measured (an optional one that failed its warm-up is left out). */
  get active(): readonly Variant[] {
    return this.variants;
  }

  private pool(ep: Endpoint): Pool {
    let p = this.pools.get(ep.origin);
    if (!p) this.pools.set(ep.origin, (p = createPool(ep.origin)));
    return p;
  }

  /** Starts counting the variant's CPU; the returned function gives µs per request for `requests`. */
  private cpuMeter(v: Variant | undefined): (requests: number) => number {
    const pid = v?.process?.pid;
    if (pid === undefined) return () => Number.NaN;
    const before = cpuTimeNs(pid);
    return (requests) => (cpuTimeNs(pid) - before) / 1000 / Math.max(1, requests);
  }

  private count(v: VariantId, n: number): void {
    this.sent.set(v, (this.sent.get(v) ?? 0) + n);
  }

  /** Latency of the very first request each variant served after start-up (cold code paths), ms. */
  readonly firstRequestMs = new Map<VariantId, number>();

  /**
   * Unrecorded load on every variant first: connections open, JIT compiled, allocator warm.
   * A variant that cannot serve is fatal, except the optional ones (`optional`), which are
   * left out; the reasons are returned for the report.
   */
  async warmUp(optional: ReadonlySet<VariantId>): Promise<string[]> {
    const skipped: string[] = [];
    for (const v of [...this.variants]) {
      try {
        await this.warmUpOne(v);
      } catch (e) {
        if (!optional.has(v.id)) throw e;
        this.variants = this.variants.filter((x) => x !== v);
        skipped.push(`${v.id} left out: ${(e as Error).message.slice(0, 300)}`);
        this.log(`${v.id} left out: it failed its warm-up`);
      }
    }
    return skipped;
  }

  private async warmUpOne(v: Variant): Promise<void> {
    const first = v.endpoint("openai", false);
    const t0 = performance.now();
    const res = await this.pool(first).request({ path: first.path, method: "POST", headers: first.headers, body: first.body });
    const text = await res.body.text();
    this.count(v.id, 1);
    if (res.statusCode !== 200) throw new Error(`${v.id} answered ${res.statusCode} to the first request: ${text.slice(0, 300)}`);
    this.firstRequestMs.set(v.id, performance.now() - t0);
    for (const stream of [false, true]) {
      const ep = v.endpoint(stream ? "stream" : "openai", stream);
      const r = await runOpenLoop(this.pool(ep), ep, {
        rate: stream ? this.s.streamRate : 500, durationMs: this.s.initialWarmupMs / 2, warmupMs: 0, maxInFlight: 1000, drainMs: 5000, stream,
      });
      this.count(v.id, r.fired);
      if (r.ok === 0) throw new Error(`${v.id} answered no request during the warm-up: ${r.firstError ?? "no answer"}`);
    }
  }

  async latency(): Promise<LatencyRound[]> {
    const out: LatencyRound[] = [];
    for (const rate of this.s.rates) {
      for (let round = 0; round < this.s.rounds; round++) {
        for (const v of rotated(this.variants, round)) {
          out.push(await this.openLoopRound(v, rate, round, false));
          await pause(100);
        }
      }
      this.log(`latency at ${rate} req/s done`);
    }
    return out;
  }

  async streaming(): Promise<StreamRound[]> {
    const out: StreamRound[] = [];
    for (let round = 0; round < this.s.rounds; round++) {
      for (const v of rotated(this.variants, round)) {
        out.push((await this.openLoopRound(v, this.s.streamRate, round, true)) as StreamRound);
        await pause(100);
      }
    }
    this.log("streaming done");
    return out;
  }

  private async openLoopRound(v: Variant, rate: number, round: number, stream: boolean): Promise<LatencyRound | StreamRound> {
    const ep = v.endpoint(stream ? "stream" : "openai", stream);
    const cpu = this.cpuMeter(v);
    const r = await runOpenLoop(this.pool(ep), ep, {
      rate, durationMs: stream ? this.s.streamMs : this.s.latencyMs(rate), warmupMs: this.s.roundWarmupMs, maxInFlight: 1000, drainMs: this.s.drainMs, stream,
    });
    const cpuUsPerRequest = cpu(r.fired);
    this.count(v.id, r.fired);
    const base: LatencyRound = {
      round, variant: v.id, rate, ok: r.ok, errors: r.errors, dropped: r.dropped, achievedRate: r.achievedRate,
      latency: summarize(r.latencyMs), service: summarize(r.serviceMs), sendLag: summarize(r.sendLagMs), cpuUsPerRequest,
      ...(r.firstError ? { firstError: r.firstError } : {}),
    };
    return stream ? { ...base, firstByte: summarize(r.firstByteMs), firstToken: summarize(r.firstTokenMs) } : base;
  }

  /**
   * Closed loop at N connections against the fixed-response upstream, plus the direct
   * rate of the OpenAI simulator itself, to show whether the simulator could have been the limit.
   */
  async throughput(pin: string[]): Promise<ThroughputRound[]> {
    const out: ThroughputRound[] = [];
    const useWrk = findWrk() !== null;
    const direct = this.variants.find((v) => v.id === "direct")!;
    const entries: Array<{ id: ThroughputRound["variant"]; ep: Endpoint; v?: Variant }> = [
      ...this.variants.map((v) => ({ id: v.id, ep: v.endpoint("fixed", false), v })),
      { id: "direct-simulator", ep: direct.endpoint("openai", false) },
    ];
    for (let round = 0; round < this.s.rounds; round++) {
      for (const { id, ep, v } of rotated(entries, round)) {
        const cpu = this.cpuMeter(v);
        if (useWrk) {
          const r = await runWrk(ep, this.s.throughputConnections, this.s.throughputMs, pin);
          out.push({ round, variant: id, rps: r.rps, requests: r.requests, errors: r.errors, tool: "wrk", cpuUsPerRequest: cpu(r.requests) });
          if (id !== "direct-simulator") this.count(id, r.requests);
        } else {
          const r = await runClosedLoop(this.pool(ep), ep, this.s.throughputConnections, this.s.throughputMs);
          out.push({
            round, variant: id, rps: r.rps, requests: r.requests, errors: r.errors, tool: "node", cpuUsPerRequest: cpu(r.requests + r.errors),
            ...(r.firstError ? { firstError: r.firstError } : {}),
          });
          if (id !== "direct-simulator") this.count(id, r.requests + r.errors);
        }
        await pause(300);
      }
    }
    this.log("throughput done");
    return out;
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((p) => p.close()));
  }
}

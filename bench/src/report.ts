import type { LatencyAnalysis, StreamingAnalysis, ThroughputAnalysis } from "./analyze";
import type { ConfigDeliveryResult } from "./config-delivery";
import type { MicroResult } from "./routing-micro";
import type { ProfileSummary } from "./profile";
import { variantLabels, type VariantId } from "./stack";

export interface Target {
  name: string;
  target: string;
  measured: string;
  met: boolean;
  detail?: string;
}

export interface MemoryRow {
  process: string;
  rssBeforeMiB: number;
  rssAfterMiB: number;
  peakRssMiB: number;
  /** Request-log lines the process wrote on stdout (gateways: one per request). */
  logLines: number;
  requestsSent: number;
  /** The first request after start-up, ms (cold code paths). */
  firstRequestMs: number;
}

export interface Report {
  machine: {
    nproc: number; cpuModel: string; node: string; platform: string; date: string; pinned: boolean; loadGenerator: string;
    /** 1-minute load average before and after the run (our processes add about 2). */
    loadAverageBefore: number; loadAverageAfter: number;
  };
  settings: Record<string, unknown>;
  latency: LatencyAnalysis;
  streaming: StreamingAnalysis;
  throughput: ThroughputAnalysis;
  memory: MemoryRow[];
  routing: MicroResult[];
  profile?: ProfileSummary;
  /** Configuration delivery at scale (packages/config-sync/src/scale.bench.ts). */
  configDelivery?: ConfigDeliveryResult;
  targets: Target[];
  notes: string[];
}

const f = (v: number, d = 2) => (Number.isFinite(v) ? v.toFixed(d) : "n/a");
const signed = (v: number, d = 2) => (Number.isFinite(v) ? `${v >= 0 ? "+" : ""}${v.toFixed(d)}` : "n/a");
const label = (v: string) => variantLabels[v as VariantId] ?? (v === "direct-simulator" ? "direct, OpenAI simulator" : v);

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(head), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

export function evaluateTargets(latency: LatencyAnalysis, streaming: StreamingAnalysis, throughput: ThroughputAnalysis): Target[] {
  const at500 = latency.find((l) => l.rate === 500);
  const gw500 = at500?.variants.find((v) => v.variant === "gateway");
  const gwTput = throughput.find((t) => t.variant === "gateway");
  const gwStream = streaming.find((s) => s.variant === "gateway");
  const t = (name: string, target: string, value: number, ok: (v: number) => boolean, unit: string, d = 3): Target => ({
    name, target, measured: `${f(value, d)} ${unit}`, met: Number.isFinite(value) && ok(value),
  });
  return [
    t("added p50 latency at 500 req/s (gateway - direct)", "<= 0.5 ms", gw500?.addedP50Ms ?? Number.NaN, (v) => v <= 0.5, "ms"),
    {
      ...t("throughput, 50 connections, one gateway core", ">= 5000 req/s", gwTput?.rps ?? Number.NaN, (v) => v >= 5000, "req/s", 0),
      ...(gwTput && Number.isFinite(gwTput.cpuBoundRps) ? { detail: `its CPU per request alone allows ${f(gwTput.cpuBoundRps, 0)} req/s per core` } : {}),
    },
    {
      ...t("added streaming time to first byte, p50", "<= 0.5 ms", gwStream?.addedFirstByteP50Ms ?? Number.NaN, (v) => v <= 0.5, "ms"),
      detail: "the gateway holds the stream until the first token (failover before it), so this includes the upstream's role-chunk-to-token gap",
    },
    t("added streaming time to first token, p50", "<= 0.5 ms", gwStream?.addedFirstTokenP50Ms ?? Number.NaN, (v) => v <= 0.5, "ms"),
    t("governance path at 500 req/s, p50 (gateway - governance off)", "<= 0.2 ms", at500?.governanceP50Ms ?? Number.NaN, (v) => v <= 0.2, "ms"),
  ];
}

export function formatReport(r: Report): string {
  const out: string[] = [];
  const m = r.machine;
  out.push(`Portcullis gateway benchmark: ${m.date}, ${m.nproc} cores (${m.cpuModel}), node ${m.node}`);
  out.push(`gateway processes on core 1, load generator and upstreams on core 0${m.pinned ? "" : " (NOT pinned: taskset missing)"}; ${r.settings["rounds"]} interleaved round(s) per figure, medians shown`);
  out.push("");
  out.push("Latency, open loop (constant arrival rate), ms from the scheduled send to the last byte; OpenAI simulator upstream");
  const rows: string[][] = [];
  for (const l of r.latency) {
    for (const v of l.variants) {
      rows.push([
        `${l.rate} req/s`, label(v.variant), f(v.p50Ms, 3), f(v.p99Ms, 3),
        v.variant === "direct" ? "" : signed(v.addedP50Ms, 3), v.variant === "direct" ? "" : signed(v.addedP99Ms, 3),
        v.variant === "direct" || v.variant === "floor" ? "" : signed(v.overFloorP50Ms, 3), f(v.ratioP50),
        f(v.cpuUsPerRequest, 0), `${v.ok}/${v.errors}/${v.dropped}`,
      ]);
    }
  }
  out.push(table(["rate", "variant", "p50", "p99", "+p50", "+p99", "+p50 vs floor", "x direct p50", "CPU µs/req", "ok/err/drop"], rows));
  out.push("");
  out.push("Governance path (gateway minus the same gateway with governance off), ms");
  out.push(table(
    ["rate", "in-memory +p50", "in-memory +p99", "Redis +p50", "Redis +p99"],
    r.latency.map((l) => [`${l.rate} req/s`, signed(l.governanceP50Ms, 3), signed(l.governanceP99Ms, 3), signed(l.governanceRedisP50Ms, 3), signed(l.governanceRedisP99Ms, 3)]),
  ));
  out.push("");
  out.push(`Maximum throughput, closed loop, ${r.settings["throughputConnections"]} connections (${r.throughput[0]?.tool ?? "n/a"}), fixed-response upstream`);
  out.push(table(
    ["variant", "req/s", "x direct", "per round", "errors", "CPU µs/req", "CPU x floor", "req/s per core at that CPU"],
    r.throughput.map((t) => [
      label(t.variant), f(t.rps, 0), f(t.ratioToDirect), t.perRoundRps.join(" "), String(t.errors), f(t.cpuUsPerRequest, 0),
      Number.isFinite(t.cpuVsFloor) ? f(t.cpuVsFloor) : "", Number.isFinite(t.cpuBoundRps) ? f(t.cpuBoundRps, 0) : "",
    ]),
  ));
  out.push("");
  out.push(`Streaming (SSE, ${r.settings["streamRate"]} streams/s, ${r.settings["chunkDelayMs"]} ms between upstream events), ms from the scheduled send`);
  out.push(table(
    ["variant", "first byte p50", "p99", "+p50", "first token p50", "+p50", "total p50", "p99", "+total p50", "CPU µs/stream", "ok/err/drop"],
    r.streaming.map((s) => [
      label(s.variant), f(s.firstByteP50Ms, 3), f(s.firstByteP99Ms, 3), s.variant === "direct" ? "" : signed(s.addedFirstByteP50Ms, 3),
      f(s.firstTokenP50Ms, 3), s.variant === "direct" ? "" : signed(s.addedFirstTokenP50Ms, 3),
      f(s.totalP50Ms, 3), f(s.totalP99Ms, 3), s.variant === "direct" ? "" : signed(s.addedTotalP50Ms, 3), f(s.cpuUsPerRequest, 0),
      `${s.ok}/${s.errors}/${s.dropped}`,
    ]),
  ));
  out.push("");
  out.push("Memory (RSS of each proxy process, MiB)");
  out.push(table(["process", "before load", "after load", "peak", "stdout lines", "requests sent", "first request ms"], r.memory.map((x) => [
    label(x.process), f(x.rssBeforeMiB, 1), f(x.rssAfterMiB, 1), f(x.peakRssMiB, 1), String(x.logLines), String(x.requestsSent), f(x.firstRequestMs, 1),
  ])));
  out.push("");
  out.push("Routing choice, in process (ns per operation)");
  out.push(table(["case", "p50", "p99"], r.routing.map((x) => [x.name, f(x.nsPerOpP50, 0), f(x.nsPerOpP99, 0)])));
  if (r.profile) {
    out.push("");
    out.push(`CPU profile of the gateway under closed-loop load (${r.profile.file}); self time, share of busy time`);
    out.push(table(["area (self)", "ms", "%"], r.profile.byArea.map((e) => [e.name, f(e.selfMs, 0), f(e.pct, 1)])));
    out.push("");
    out.push(table(["area (Node internals charged to their caller)", "ms", "%"], r.profile.byCallerArea.map((e) => [e.name, f(e.selfMs, 0), f(e.pct, 1)])));
    out.push("");
    out.push(table(["function", "where", "ms", "%"], r.profile.topFunctions.map((e) => [e.name, e.where, f(e.selfMs, 0), f(e.pct, 1)])));
  }
  if (r.configDelivery) {
    const c = r.configDelivery;
    out.push("");
    out.push(`Configuration delivery, ${c.keys.toLocaleString("en-US")} virtual keys, ${c.changes} one-key changes applied by 2 gateway processes over Redis (load average ${c.loadAverage.map((l) => l.toFixed(1)).join(" ")})`);
    out.push(table(["", "measured"], c.rows.map(([what, value]) => [what, value])));
  }
  out.push("");
  out.push("Targets");
  out.push(table(["", "target", "measured", "", ""], r.targets.map((t) => [t.name, t.target, t.measured, t.met ? "met" : "MISSED", t.detail ?? ""])));
  for (const n of r.notes) out.push(`note: ${n}`);
  return out.join("\n");
}

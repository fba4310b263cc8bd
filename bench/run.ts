/**
 * `pnpm bench`: the gateway's overhead against direct calls to the same upstream and
 * against a minimal Node proxy, measured in interleaved rounds in one run on loopback.
 * BENCH_QUICK=1 for a short run; see bench/README.md for every knob and figure.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, platform } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { analyzeLatency, analyzeStreaming, analyzeThroughput } from "./src/analyze";
import { buildBundles } from "./src/build";
import { configDeliverySettings, configDeliveryTargets, runConfigDelivery } from "./src/config-delivery";
import { createPool, runClosedLoop, runOpenLoop } from "./src/open-loop";
import { hasTaskset, pinSelf, readMemory } from "./src/processes";
import { summarizeProfile, type ProfileSummary } from "./src/profile";
import { formatLogQueryReport, readLogQuerySettings, runRequestLogQueryBench, type LogQueryReport } from "./src/request-log-query";
import { deleteRedisPrefix, redisAnswers } from "./src/redis";
import { evaluateTargets, formatReport, type MemoryRow, type Report } from "./src/report";
import { runRoutingMicro } from "./src/routing-micro";
import { ScenarioRunner } from "./src/scenarios";
import { readSettings } from "./src/settings";
import { startStack, type Stack } from "./src/stack";
import { findWrk, runWrk } from "./src/wrk";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const resultsDir = join(root, "bench", "results");
const startedAt = Date.now();
const log = (line: string) => process.stderr.write(`[bench ${((Date.now() - startedAt) / 1000).toFixed(0).padStart(3)}s] ${line}\n`);

async function profileGateway(stack: Stack, pin: string[]): Promise<ProfileSummary | undefined> {
  const dir = join(resultsDir, "profile");
  // One profile, replaced by each profiled run (a failed run must not leave the last one to be read as its own).
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const { process: gw, endpoint } = await stack.startProfiledGateway(join(dir, "gateway.cpuprofile"));
  const ep = endpoint("fixed", false);
  const pool = createPool(ep.origin);
  try {
    await runOpenLoop(pool, ep, { rate: 500, durationMs: 1500, warmupMs: 0, maxInFlight: 1000, drainMs: 2000, stream: false });
    process.kill(gw.pid, "SIGUSR2");
    await new Promise((r) => setTimeout(r, 200));
    if (findWrk()) await runWrk(ep, 50, 5000, pin);
    else await runClosedLoop(pool, ep, 50, 5000);
  } finally {
    await pool.close();
    await gw.stop();
  }
  return summarizeProfile(dir, root);
}

async function main(): Promise<void> {
  const s = readSettings();
  mkdirSync(resultsDir, { recursive: true });
  const notes: string[] = [];
  const loadBefore = loadavg()[0]!;
  const pinned = s.loadCore !== undefined && hasTaskset() && pinSelf(s.loadCore);
  if (!pinned) notes.push("processes were not pinned to cores (taskset missing or a single core): figures mix load generation and gateway work");
  const pin = pinned ? ["taskset", "-c", String(s.loadCore)] : [];
  const wrk = findWrk();
  if (!wrk) notes.push("wrk not installed (apt-get install -y wrk): maximum throughput measured with the Node closed-loop generator, which needs more of the load core");
  if (s.redisUrl && !(await redisAnswers(s.redisUrl))) {
    notes.push(`no Redis at ${s.redisUrl}: the governance-in-Redis variant was skipped`);
    s.redisUrl = undefined;
  }

  log(`building (quick=${s.quick}, rounds=${s.rounds}, load generator ${wrk ?? "node"})`);
  const bundles = await buildBundles(root);
  const stack = await startStack(bundles, s);
  const runner = new ScenarioRunner(s, stack.variants, log);
  let report: Report;
  let rounds: Record<string, unknown>;
  try {
    log(`started ${stack.variants.map((v) => v.id).join(", ")}; warming up`);
    // Redis is a shared service here: a gateway failing closed on it must not sink the whole run.
    notes.push(...(await runner.warmUp(new Set(["gateway-redis"]))));
    const latencyRounds = await runner.latency();
    const throughputRounds = await runner.throughput(pin);
    const streamRounds = await runner.streaming();
    const ids = runner.active.map((v) => v.id);
    const memory: MemoryRow[] = runner.active.flatMap((v) => {
      if (!v.process) return [];
      const after = readMemory(v.process.pid);
      return [{
        process: v.id, rssBeforeMiB: v.memoryBefore?.rssMiB ?? Number.NaN, rssAfterMiB: after?.rssMiB ?? Number.NaN,
        peakRssMiB: after?.peakRssMiB ?? Number.NaN, logLines: Number.NaN, requestsSent: runner.sent.get(v.id) ?? 0,
        firstRequestMs: runner.firstRequestMs.get(v.id) ?? Number.NaN,
      }];
    });
    log("routing micro-benchmark");
    const routing = runRoutingMicro(s.quick);
    let profile: ProfileSummary | undefined;
    if (s.profile) {
      log("CPU profile of the gateway under load");
      profile = await profileGateway(stack, pin);
    }
    const latency = analyzeLatency(latencyRounds, ids, s.rates);
    const streaming = analyzeStreaming(streamRounds, ids);
    const throughput = analyzeThroughput(throughputRounds);
    const direct = throughput.find((t) => t.variant === "direct")?.rps ?? Number.NaN;
    const sim = throughput.find((t) => t.variant === "direct-simulator")?.rps ?? Number.NaN;
    const gw = throughput.find((t) => t.variant === "gateway")?.rps ?? Number.NaN;
    if (gw > 0.8 * direct) notes.push("gateway throughput is within 20% of the direct figure: the load core, not the gateway, may be the limit");
    const loadAfter = loadavg()[0]!;
    // Before the run nothing of ours is running; during it our processes add up to about one per core.
    if (loadBefore > 1 || loadAfter > cpus().length + 1) {
      notes.push(`the machine was busy (1-minute load ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after, on ${cpus().length} cores): latencies are inflated by waiting for a core; CPU µs per request is the figure least affected`);
    }
    if (sim < 2 * Math.max(...s.rates)) notes.push(`the OpenAI simulator alone served only ${sim.toFixed(0)} req/s: it may distort the highest latency point`);
    report = {
      machine: {
        nproc: cpus().length, cpuModel: cpus()[0]?.model.trim() ?? "unknown", node: process.version, platform: platform(),
        date: new Date().toISOString(), pinned, loadGenerator: wrk ?? "node (undici)", loadAverageBefore: loadBefore, loadAverageAfter: loadAfter,
      },
      settings: {
        quick: s.quick, rounds: s.rounds, rates: s.rates, latencyMs: Object.fromEntries(s.rates.map((r) => [r, s.latencyMs(r)])),
        roundWarmupMs: s.roundWarmupMs, throughputConnections: s.throughputConnections, throughputMs: s.throughputMs,
        streamRate: s.streamRate, streamMs: s.streamMs, chunkDelayMs: s.chunkDelayMs, redis: s.redisUrl !== undefined,
        gatewayCore: s.gatewayCore, loadCore: s.loadCore,
      },
      latency, streaming, throughput, memory, routing, ...(profile ? { profile } : {}),
      targets: evaluateTargets(latency, streaming, throughput),
      notes,
    };
    rounds = { latency: latencyRounds, throughput: throughputRounds, streaming: streamRounds };
  } finally {
    await runner.close();
    await stack.close();
    if (s.redisUrl) await deleteRedisPrefix(s.redisUrl, stack.redisPrefix).catch(() => 0);
  }
  // After the gateways are gone, so that filling the scratch database disturbs none of their figures.
  const logQuery = readLogQuerySettings();
  let requestLogs: LogQueryReport | undefined;
  if (logQuery) {
    log(`request-log queries over ${logQuery.rows.toLocaleString("en")} rows in a scratch database (BENCH_LOG_QUERY=0 skips them)`);
    requestLogs = await runRequestLogQueryBench(logQuery, log).catch((e: unknown) => {
      report.notes.push(`request-log queries skipped: ${(e as Error).message}`);
      return undefined;
    });
  }
  // After the gateway stack is gone: this part needs the machine's cores to itself.
  if (process.env["BENCH_CONFIG"] !== "0") {
    const cd = configDeliverySettings(s.quick);
    log(`configuration delivery at scale (${cd.keys} keys, ${cd.changes} changes)`);
    const result = await runConfigDelivery(root, cd, log);
    if (typeof result === "string") report.notes.push(result);
    else {
      report.configDelivery = result;
      report.targets.push(...configDeliveryTargets(result));
    }
  }
  // The log pipes end when the gateways exit: only now are the line counts known.
  for (const row of report.memory) {
    const p = stack.variants.find((v) => v.id === row.process)?.process;
    if (p) row.logLines = (await p.stdoutCount()).lines;
  }
  writeFileSync(join(resultsDir, "latest.json"), `${JSON.stringify({ ...report, rounds, ...(requestLogs ? { requestLogs } : {}) }, null, 2)}\n`);
  console.log(formatReport(report));
  if (requestLogs) console.log(`\n${formatLogQueryReport(requestLogs)}`);
  log(`done in ${((Date.now() - startedAt) / 1000).toFixed(0)} s; figures in bench/results/latest.json`);
}

// Ctrl-C or a kill: the children notice their parent is gone (parent-watchdog) and exit too.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.once(signal, () => process.exit(130));

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);

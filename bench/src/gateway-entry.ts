/**
 * Bench-only gateway process: the same setup as `apps/gateway/src/server.ts` without a
 * database (signed disk snapshot, in-process bus, request logs on stdout), with governance
 * chosen by BENCH_GOVERNANCE:
 *   off    admit/settle do nothing (the baseline the governance path is measured against)
 *   redis  counters in Redis (REDIS_URL), wrapped in the same failover as production
 *   memory in-process counters (what the production build uses without REDIS_URL)
 * Bundled by the benchmark with scripts/bundle.mjs, so it runs as a production build.
 */
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import { hostname } from "node:os";
import { createMemoryBus, parseConfigPublicKeys } from "@portcullis/config-sync";
import { createMemoryCounters, createRedisCounters, withFailover, type Counters } from "@portcullis/counters";
import { CircuitRegistry, createStdoutSink, readGatewayEnv, startGateway, startGatewayConfig, type StartGatewayOptions } from "@portcullis/gateway";

type Governance = NonNullable<StartGatewayOptions["governance"]>;

const governanceOff: Governance = {
  async admit(input) {
    return { requestId: input.requestId, attempt: input.attempt, price: undefined, headers: {}, snapshot: input.snapshot };
  },
  async settle() {
    return { costMicros: 0, alerts: [] };
  },
};

const env = readGatewayEnv();
const mode = process.env["BENCH_GOVERNANCE"] ?? "off";
const log = (line: string) => process.stderr.write(`[bench-gateway] ${line}\n`);

let counters: Counters;
if (mode === "redis") {
  if (!env.REDIS_URL) throw new Error("BENCH_GOVERNANCE=redis needs REDIS_URL");
  counters = withFailover({
    primary: createRedisCounters(env.REDIS_URL, { keyPrefix: process.env["BENCH_REDIS_PREFIX"] ?? "pc:bench:" }),
    fallback: createMemoryCounters(),
    mode: env.COUNTERS_FAILURE_MODE,
    onModeChange: (state) => log(`counters ${state}`),
  });
} else if (mode === "off" || mode === "memory") {
  counters = createMemoryCounters();
} else {
  throw new Error(`BENCH_GOVERNANCE must be off, memory or redis, got "${mode}"`);
}

const bus = createMemoryBus();
const events = createStdoutSink();
const circuits = new CircuitRegistry(Date.now);
const config = await startGatewayConfig({
  bus, publicKeys: parseConfigPublicKeys(env.PORTCULLIS_CONFIG_PUBLIC_KEY), nodeName: env.NODE_NAME ?? hostname(), dataDir: env.PORTCULLIS_DATA_DIR,
  pollIntervalMs: env.CONFIG_POLL_INTERVAL_MS, fleetIntervalMs: env.FLEET_REPORT_INTERVAL_MS, circuits, events, log,
});
if (!config.holder.current()) throw new Error(`no usable signed snapshot in ${env.PORTCULLIS_DATA_DIR}: ${config.status().detail}`);
const gateway = await startGateway({
  port: env.GATEWAY_PORT,
  host: env.GATEWAY_HOST,
  nodeName: env.NODE_NAME ?? hostname(),
  maxBodyBytes: env.MAX_BODY_BYTES,
  upstreamTimeoutMs: env.UPSTREAM_TIMEOUT_MS,
  bus,
  config: config.holder,
  configStatus: config.status,
  circuits,
  pepper: env.PORTCULLIS_KEY_PEPPER,
  counters,
  ...(mode === "off" ? { governance: governanceOff } : {}),
  events,
});
log(`listening on ${gateway.url} (governance ${mode})`);

// BENCH_CPU_PROFILE=<file>: SIGUSR2 starts the V8 profiler (after the warm-up, so start-up
// compilation stays out of it); the profile is written on shutdown.
const profileFile = process.env["BENCH_CPU_PROFILE"];
const profiler = profileFile ? new Session() : undefined;
const post = (method: string, params?: object) =>
  new Promise<unknown>((resolve, reject) => profiler!.post(method, params, (err, res) => (err ? reject(err) : resolve(res))));
if (profiler) {
  profiler.connect();
  process.on("SIGUSR2", () => {
    void post("Profiler.enable")
      .then(() => post("Profiler.setSamplingInterval", { interval: 200 }))
      .then(() => post("Profiler.start"))
      .then(() => log("profiling"));
  });
}

const shutdown = async () => {
  if (profiler && profileFile) {
    const { profile } = (await post("Profiler.stop").catch(() => ({ profile: undefined }))) as { profile?: unknown };
    if (profile) writeFileSync(profileFile, JSON.stringify(profile));
  }
  await config.subscriber.stop();
  await gateway.close();
  await counters.close();
  process.exit(0);
};
process.once("SIGINT", shutdown);
process.once("SIGTERM", shutdown);

import { hostname } from "node:os";
import type { DependencyStatus } from "@portcullis/core";
import { createConfigHolder, createMemoryBus, createRedisBus, readSnapshotCache, startDbConfigPoller, writeSnapshotCache } from "@portcullis/config-sync";
import { createMemoryCounters, createRedisCounters, withFailover, type Counters } from "@portcullis/counters";
import { createPrisma } from "@portcullis/db";
import { readGatewayEnv } from "./env";
import { createEventEmitter, createGatewayEventSink } from "@portcullis/events";
import { join } from "node:path";
import { createStdoutSink } from "./events";
import { startGateway } from "./start";

/** Standalone gateway process (distributed setup; the embedded launcher uses startGateway directly). */
const env = readGatewayEnv();
const log = (line: string) => process.stderr.write(`[gateway] ${line}\n`);
const bus = env.REDIS_URL ? createRedisBus(env.REDIS_URL) : createMemoryBus();

let counters: Counters;
let countersProbe: (() => Promise<DependencyStatus>) | undefined;
if (env.REDIS_URL) {
  const failover = withFailover({
    primary: createRedisCounters(env.REDIS_URL, { commandTimeoutMs: env.COUNTERS_TIMEOUT_MS }),
    fallback: createMemoryCounters(),
    mode: env.COUNTERS_FAILURE_MODE,
    timeoutMs: env.COUNTERS_TIMEOUT_MS,
    onModeChange: (state, cause) => log(`counters ${state}${cause ? `: ${String(cause)}` : ""} (failure mode ${env.COUNTERS_FAILURE_MODE})`),
  });
  counters = failover;
  countersProbe = async () => {
    // Recovery is otherwise probed lazily by traffic: a readiness check probes too.
    if (failover.state() !== "healthy") await failover.reconcile().catch(() => false);
    const state = failover.state();
    return {
      name: "counters", required: false,
      state: state === "healthy" ? "up" : state === "degraded" ? "degraded" : "down",
      detail: state === "healthy" ? "Redis" : state === "degraded" ? "Redis unreachable: counting on local in-memory counters (fail open)" : "Redis unreachable: refusing governed requests (fail closed)",
    };
  };
} else {
  counters = createMemoryCounters();
}

// The counters' Redis connection fails fast while not connected: wait for it once at boot.
await counters.ping().catch((e: unknown) => log(`counters: Redis not reachable at boot (${(e as Error).message}); failure mode ${env.COUNTERS_FAILURE_MODE}`));

// Cold start: the last good snapshot on disk, replaced as soon as the database answers.
const cached = readSnapshotCache(env.PORTCULLIS_DATA_DIR);
const config = createConfigHolder(cached);
let source = cached ? `disk cache v${cached.version}` : "none";
const prisma = env.DATABASE_URL ? createPrisma(env.DATABASE_URL, { max: 2 }) : undefined;
const poller = prisma
  ? startDbConfigPoller({
      prisma, holder: config, intervalMs: env.CONFIG_POLL_INTERVAL_MS,
      onLoad: (s) => {
        source = `database v${s.version}`;
        writeSnapshotCache(env.PORTCULLIS_DATA_DIR, s);
      },
      onError: (e) => log(`configuration refresh failed: ${(e as Error).message}`),
    })
  : undefined;
await poller?.refresh();

// Request logs and decisions: onto the Redis stream the worker drains (spooled to disk while Redis
// is unreachable); without Redis, JSON lines on stdout for a log shipper.
const emitter = env.REDIS_URL && (env.EVENTS_SINK ?? "redis") === "redis"
  ? createEventEmitter({ redis: env.REDIS_URL, spoolDir: join(env.PORTCULLIS_DATA_DIR, "spool"), nodeName: env.NODE_NAME ?? hostname() })
  : undefined;
const eventsProbe = async (): Promise<DependencyStatus> => {
  const st = emitter!.stats();
  return {
    name: "events", required: false, state: st.mode === "redis" || st.mode === "starting" ? "up" : "degraded",
    detail: st.mode === "redis" ? `${st.buffered} buffered` : `Redis unreachable: spooling to disk (${st.spooledBytes} bytes)`,
  };
};

const gateway = await startGateway({
  port: env.GATEWAY_PORT,
  host: env.GATEWAY_HOST,
  nodeName: env.NODE_NAME ?? hostname(),
  maxBodyBytes: env.MAX_BODY_BYTES,
  upstreamTimeoutMs: env.UPSTREAM_TIMEOUT_MS,
  bus,
  config,
  configStatus: () => ({
    state: source.startsWith("database") && !poller?.lastError() ? "up" : "degraded",
    detail: poller?.lastError() ? `serving ${source}; database unreachable` : `from ${source}`,
  }),
  pepper: env.PORTCULLIS_KEY_PEPPER,
  ...(env.PORTCULLIS_ENCRYPTION_KEY ? { encryptionKey: env.PORTCULLIS_ENCRYPTION_KEY } : {}),
  counters,
  ...(env.GATEWAY_ADMIN_TOKEN ? { adminToken: env.GATEWAY_ADMIN_TOKEN } : {}),
  events: emitter ? createGatewayEventSink(emitter) : createStdoutSink(),
  probes: [...(countersProbe ? [countersProbe] : []), ...(emitter ? [eventsProbe] : [])],
});
log(`listening on ${gateway.url} (configuration: ${source})`);

const shutdown = async () => {
  poller?.stop();
  await gateway.close();
  await emitter?.close();
  await counters.close();
  await bus.close();
  await prisma?.$disconnect();
  process.exit(0);
};
process.once("SIGINT", shutdown);
process.once("SIGTERM", shutdown);

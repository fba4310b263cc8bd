import { hostname } from "node:os";
import { join } from "node:path";
import type { DependencyStatus } from "@portcullis/core";
import { createMemoryBus, createRedisBus, parseConfigPublicKeys, parseKeySetting } from "@portcullis/config-sync";
import { createMemoryCounters, createRedisCounters, withFailover, type Counters } from "@portcullis/counters";
import { createPrisma } from "@portcullis/db";
import { createEventEmitter, createGatewayEventSink } from "@portcullis/events";
import { startGatewayConfig } from "./config-delivery";
import { readGatewayEnv } from "./env";
import { createStdoutSink } from "./events";
import { CircuitRegistry } from "./routing/circuits";
import { startGateway } from "./start";

/** Standalone gateway process (distributed setup; the embedded launcher uses startGateway directly). */
const log = (line: string) => process.stderr.write(`[gateway] ${line}\n`);
let env: ReturnType<typeof readGatewayEnv>;
let publicKeys: ReturnType<typeof parseConfigPublicKeys>;
try {
  env = readGatewayEnv();
  publicKeys = parseKeySetting("PORTCULLIS_CONFIG_PUBLIC_KEY", () => parseConfigPublicKeys(env.PORTCULLIS_CONFIG_PUBLIC_KEY));
  if (publicKeys.length === 0) throw new Error("PORTCULLIS_CONFIG_PUBLIC_KEY holds no key");
} catch (e) {
  log(`cannot start: ${(e as Error).message}`);
  process.exit(2);
}
const nodeName = env.NODE_NAME ?? hostname();
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

// Request logs, decisions and alerts: onto the Redis stream the worker drains (spooled to disk
// while Redis is unreachable); without Redis, JSON lines on stdout for a log shipper.
const emitter = env.REDIS_URL && (env.EVENTS_SINK ?? "redis") === "redis"
  ? createEventEmitter({ redis: env.REDIS_URL, spoolDir: join(env.PORTCULLIS_DATA_DIR, "spool"), nodeName })
  : undefined;
const events = emitter ? createGatewayEventSink(emitter) : createStdoutSink();
const eventsProbe = async (): Promise<DependencyStatus> => {
  const st = emitter!.stats();
  return {
    name: "events", required: false, state: st.mode === "redis" || st.mode === "starting" ? "up" : "degraded",
    detail: st.mode === "redis" ? `${st.buffered} buffered` : `Redis unreachable: spooling to disk (${st.spooledBytes} bytes)`,
  };
};

// Configuration: signed snapshots and deltas over Redis, PostgreSQL while Redis is down, the
// signed disk cache on a cold start with both down. Never read on the request path.
const prisma = env.DATABASE_URL ? createPrisma(env.DATABASE_URL, { max: 2 }) : undefined;
const circuits = new CircuitRegistry(Date.now);
const config = await startGatewayConfig({
  bus, ...(prisma ? { prisma } : {}), publicKeys, nodeName, dataDir: env.PORTCULLIS_DATA_DIR,
  pollIntervalMs: env.CONFIG_POLL_INTERVAL_MS, fleetIntervalMs: env.FLEET_REPORT_INTERVAL_MS, namespace: env.PORTCULLIS_NAMESPACE, circuits, events, log,
});

const gateway = await startGateway({
  port: env.GATEWAY_PORT,
  host: env.GATEWAY_HOST,
  nodeName,
  maxBodyBytes: env.MAX_BODY_BYTES,
  upstreamTimeoutMs: env.UPSTREAM_TIMEOUT_MS,
  bus,
  config: config.holder,
  configStatus: config.status,
  pepper: env.PORTCULLIS_KEY_PEPPER,
  ...(env.PORTCULLIS_ENCRYPTION_KEY ? { encryptionKey: env.PORTCULLIS_ENCRYPTION_KEY } : {}),
  counters,
  circuits,
  ...(env.GATEWAY_ADMIN_TOKEN ? { adminToken: env.GATEWAY_ADMIN_TOKEN } : {}),
  events,
  probes: [...(countersProbe ? [countersProbe] : []), ...(emitter ? [eventsProbe] : [])],
  bodyLogging: { mode: env.REQUEST_BODY_LOGGING, maxBytes: env.REQUEST_BODY_MAX_BYTES },
});
log(`listening on ${gateway.url} (configuration: ${config.status().detail})`);

const shutdown = async () => {
  await config.subscriber.stop();
  await gateway.close();
  await emitter?.close();
  await counters.close();
  await bus.close();
  await prisma?.$disconnect();
  process.exit(0);
};
process.once("SIGINT", shutdown);
process.once("SIGTERM", shutdown);

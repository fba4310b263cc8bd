import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { createMemoryBus, createRedisBus, parseConfigPublicKeys, type Bus } from "@portcullis/config-sync";
import { createMemoryCounters, createRedisCounters } from "@portcullis/counters";
import { createPrisma } from "@portcullis/db";
import { migrate } from "@portcullis/db/migrate";
import { createEventEmitter, createGatewayEventSink } from "@portcullis/events";
import { CircuitRegistry, startGateway, startGatewayConfig } from "@portcullis/gateway";
import { createSecretResolver } from "@portcullis/secrets";
import { createWorkerJobs, resolveAuditSigningKey, startWorker } from "@portcullis/worker";
import { issueBootstrapLink, needsFirstAdmin, syncBuiltInRoles } from "../bootstrap";
import { ensureConsoleBuilt, startConsoleInProcess } from "../console-server";
import { embeddedPoolSize, runningEmbeddedUrl, serveEmbeddedDatabase } from "../database";
import { consoleUrl, readCliEnv } from "../env";
import { loadInstanceSecrets } from "../instance-secrets";

type Stop = () => Promise<void>;

/**
 * `portcullis start`: gateway, console and worker in one process. Without DATABASE_URL
 * it serves an embedded PostgreSQL (PGlite) from the data directory; without REDIS_URL
 * it uses an in-process bus and counters. Setting both switches to the distributed
 * setup with nothing else changed.
 */
export async function startCommand(): Promise<void> {
  const env = readCliEnv();
  const log = (line: string) => console.log(`[portcullis] ${line}`);
  const stops: Stop[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((e) => log(`shutdown: ${(e as Error).message}`));
  };

  try {
    const dataDir = resolve(env.PORTCULLIS_DATA_DIR);
    mkdirSync(dataDir, { recursive: true });
    let databaseUrl = env.DATABASE_URL;
    if (!databaseUrl) {
      if (runningEmbeddedUrl(dataDir)) throw new Error(`Portcullis is already running on ${dataDir}; stop it first or set PORTCULLIS_DATA_DIR`);
      const pg = await serveEmbeddedDatabase(dataDir, true);
      stops.push(pg.stop);
      databaseUrl = pg.url;
      log(`embedded PostgreSQL (PGlite) in ${join(dataDir, "pg")}`);
    }
    const embeddedDb = !env.DATABASE_URL;
    const { applied } = await migrate(databaseUrl);
    log(applied.length ? `migrated: ${applied.join(", ")}` : "database schema up to date");

    const secrets = loadInstanceSecrets(env, embeddedDb);
    const secretResolver = createSecretResolver({ encryptionKey: secrets.encryptionKey });
    const prisma = createPrisma(databaseUrl, { max: embeddedDb ? embeddedPoolSize : 5 });
    stops.push(() => prisma.$disconnect());
    await syncBuiltInRoles(prisma);

    const bus: Bus = env.REDIS_URL ? createRedisBus(env.REDIS_URL) : createMemoryBus();
    stops.push(() => bus.close());
    log(env.REDIS_URL ? `Redis at ${new URL(env.REDIS_URL).host}` : "in-process bus and counters (no REDIS_URL)");
    // The console runs in this process; it finds the in-process bus here.
    (globalThis as { __portcullisEmbedded?: { bus: Bus } }).__portcullisEmbedded = { bus };

    // Worker jobs: ingest (from Redis, or in-process without it), signed audit checkpoints, SIEM exports.
    const jobs = createWorkerJobs({
      prisma, ...(env.REDIS_URL ? { redisUrl: env.REDIS_URL } : {}),
      signingKey: resolveAuditSigningKey({ configured: env.PORTCULLIS_AUDIT_SIGNING_KEY, dataDir }),
      resolveSecret: (ref) => secretResolver.resolve(ref),
      log: (line) => log(`worker: ${line}`),
    });
    const worker = await startWorker({ port: env.WORKER_PORT, host: "0.0.0.0", bus, db: { ping: async () => void (await prisma.$queryRaw`SELECT 1`) }, jobs });
    stops.push(worker.close);
    const emitter = createEventEmitter(
      env.REDIS_URL
        ? { redis: env.REDIS_URL, spoolDir: join(dataDir, "spool"), nodeName: "embedded" }
        : { deliver: (events) => jobs.ingest(events), spoolDir: join(dataDir, "spool"), nodeName: "embedded" },
    );
    stops.push(() => emitter.close());
    // Configuration reaches the in-process gateway as it reaches any other: signed snapshots
    // announced on the bus (the in-process console publishes there), and the database version
    // polled every 500 ms, so a CLI `apply` from another process arrives without Redis.
    if (!secrets.configSigningKey || !secrets.configPublicKey) {
      throw new Error("PORTCULLIS_CONFIG_SIGNING_KEY is required with DATABASE_URL set: the console signs the configuration the gateway applies");
    }
    const events = createGatewayEventSink(emitter);
    const circuits = new CircuitRegistry(Date.now);
    const config = await startGatewayConfig({
      bus, prisma, publicKeys: parseConfigPublicKeys(secrets.configPublicKey), nodeName: "embedded", dataDir,
      pollIntervalMs: 500, namespace: env.PORTCULLIS_NAMESPACE, circuits, events, log: (line) => log(`gateway: ${line}`),
    });
    stops.push(() => config.subscriber.stop());
    const counters = env.REDIS_URL ? createRedisCounters(env.REDIS_URL, { commandTimeoutMs: 1_000 }) : createMemoryCounters();
    stops.push(() => counters.close());
    await counters.ping();
    const gateway = await startGateway({
      port: env.GATEWAY_PORT, host: "0.0.0.0", nodeName: "embedded", maxBodyBytes: 10 * 1024 * 1024, bus,
      config: config.holder, configStatus: config.status, circuits,
      pepper: secrets.keyPepper, encryptionKey: secrets.encryptionKey, counters, events,
      bodyLogging: { mode: env.REQUEST_BODY_LOGGING, maxBytes: env.REQUEST_BODY_MAX_BYTES },
    });
    stops.push(gateway.close);

    const publicConsoleUrl = consoleUrl(env);
    Object.assign(process.env, {
      DATABASE_URL: databaseUrl,
      DATABASE_POOL_MAX: String(embeddedDb ? embeddedPoolSize : 10),
      NEXTAUTH_URL: publicConsoleUrl,
      NEXTAUTH_SECRET: secrets.nextAuthSecret,
      PORTCULLIS_KEY_PEPPER: secrets.keyPepper,
      PORTCULLIS_ENCRYPTION_KEY: secrets.encryptionKey,
      ...(secrets.configSigningKey ? { PORTCULLIS_CONFIG_SIGNING_KEY: secrets.configSigningKey } : {}),
      PORTCULLIS_NAMESPACE: env.PORTCULLIS_NAMESPACE,
      PORTCULLIS_GATEWAY_URL: `http://${env.PORTCULLIS_HOST}:${gateway.port}`,
      NODE_ENV: process.env.NODE_ENV ?? "production",
      NEXT_TELEMETRY_DISABLED: "1",
    });
    // The link exists before the console answers, so whoever waits for the console finds it.
    const firstLogin = (await needsFirstAdmin(prisma)) ? await issueBootstrapLink(prisma, publicConsoleUrl) : undefined;
    if (firstLogin) writeFileSync(join(dataDir, "first-login-url.txt"), `${firstLogin}\n`, { mode: 0o600 });
    ensureConsoleBuilt(log);
    const consoleServer = await startConsoleInProcess({ host: "0.0.0.0", port: env.CONSOLE_PORT });
    stops.push(consoleServer.close);

    log(`console  ${publicConsoleUrl}`);
    log(`gateway  http://${env.PORTCULLIS_HOST}:${gateway.port}  (OpenAI: /v1/chat/completions, Anthropic: /v1/messages)`);
    log(`worker   http://${env.PORTCULLIS_HOST}:${worker.port}/readyz`);
    if (firstLogin) log(`first admin: open this one-time link within 60 minutes:\n\n    ${firstLogin}\n`);
    log("ready. Ctrl-C stops everything.");
  } catch (e) {
    await stopAll();
    throw e;
  }

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: shutting down…`);
    void stopAll().then(() => {
      log("stopped.");
      process.exit(0);
    });
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
}

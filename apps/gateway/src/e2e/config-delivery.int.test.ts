import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateVirtualKey } from "@portcullis/core";
import {
  announceSnapshot, compileSnapshot, configPublicKeyPem, createRedisBus, generateConfigSigningKey, parseConfigSigningKey,
  readFleetStatus, signSnapshot, type Bus,
} from "@portcullis/config-sync";
import { bumpConfigVersion, createPrisma, recreateDatabase, withDatabase, type PrismaClient } from "@portcullis/db";
import { migrate } from "@portcullis/db/migrate";
import { freePort, privateRedis, startOpenAiSimulator, type PrivateRedis, type SimulatorHandle } from "@portcullis/testkit";
import { testPepper } from "../testing/harness";
import { replicaSigningKey, startReplica, type Replica } from "./replicas";

/**
 * Configuration delivery between real processes: the CLI commits and publishes, two
 * standalone gateways (server.ts) apply it from a Redis of the test's own, which the test
 * kills and restarts; PostgreSQL is a scratch database. Latencies are printed, not asserted.
 */
const cliEntry = fileURLToPath(new URL("../../../cli/src/main.ts", import.meta.url));
const namespace = `cd${randomBytes(4).toString("hex")}`;
const dbName = `pc_config_delivery_${randomBytes(3).toString("hex")}`;
const adminUrl = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const databaseUrl = withDatabase(adminUrl, dbName);
const keyA = generateVirtualKey();
const keyB = generateVirtualKey();
const keyC = generateVirtualKey();
const work = mkdtempSync(join(tmpdir(), "pc-config-delivery-"));

let sim: SimulatorHandle;
let redis: PrivateRedis;
let prisma: PrismaClient;
let bus: Bus;
let gateways: Array<Replica & { dataDir: string; port: number }> = [];
const stopped: Replica[] = [];

const cliEnv = () => ({
  PATH: process.env.PATH, DATABASE_URL: databaseUrl, REDIS_URL: redis.url, PORTCULLIS_NAMESPACE: namespace,
  PORTCULLIS_KEY_PEPPER: testPepper, PORTCULLIS_ENCRYPTION_KEY: randomBytes(32).toString("base64"), NEXTAUTH_SECRET: randomBytes(32).toString("hex"),
  PORTCULLIS_CONFIG_SIGNING_KEY: replicaSigningKey.export({ format: "pem", type: "pkcs8" }).toString(),
});

/** Runs `portcullis <args>` as its own process, as an operator would. */
function cli(...args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", cliEntry, ...args], { env: cliEnv(), stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.on("exit", (code) => resolve({ code: code ?? -1, out }));
  });
}

const file = (virtualKeys: string) => {
  const path = join(work, `config-${randomBytes(3).toString("hex")}.yaml`);
  writeFileSync(path, `apiVersion: portcullis/v1
providers:
  - name: sim
    type: openai
    baseUrl: ${sim.url}/v1
    keys:
      - name: main
        environment: prod
        credential: env://SIM_KEY
        models: [gpt-4o-mini]
virtualKeys:
${virtualKeys}`);
  return path;
};
const vk = (name: string, key: string, status = "active") => `  - name: ${name}
    key: ${key}
    status: ${status}
    environment: prod
    allowedProviders: [sim]
    allowedModels: ["sim/gpt-4o-mini"]
    allowedEndpoints: [chat]
    bindings: { prod: [sim/main] }
`;

const call = async (url: string, key: string) => {
  const res = await fetch(`${url}/v1/chat/completions`, {
    method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "sim/gpt-4o-mini", max_tokens: 5, messages: [{ role: "user", content: "hi" }] }),
  });
  await res.arrayBuffer();
  return res.status;
};
const statuses = (key: string) => Promise.all(gateways.map((g) => call(g.url, key)));
const readyz = async (url: string) => (await (await fetch(`${url}/readyz`)).json()) as { ready: boolean; dependencies: Array<{ name: string; state: string; detail?: string }> };
const configDep = async (url: string) => (await readyz(url)).dependencies.find((d) => d.name === "config")!;
const committed = async () => (await prisma.$queryRaw<Array<{ version: bigint }>>`SELECT version FROM config_state WHERE id = 1`)[0]!.version.toString();
const versions = () => Promise.all(gateways.map(async (g) => /v(\d+)/.exec((await configDep(g.url)).detail ?? "")?.[1]));

/** Until every gateway answers `status` for `key`; returns the wall-clock time (ms) of each one's first such answer. */
async function untilAll(key: string, status: number, timeoutMs = 20_000): Promise<number[]> {
  const seen: Array<number | undefined> = gateways.map(() => undefined);
  const deadline = performance.now() + timeoutMs;
  while (seen.some((s) => s === undefined) && performance.now() < deadline) {
    await Promise.all(gateways.map(async (g, i) => {
      if (seen[i] === undefined && (await call(g.url, key)) === status) seen[i] = Date.now();
    }));
  }
  if (seen.some((s) => s === undefined)) throw new Error(`not every gateway answered ${status} within ${timeoutMs} ms: ${JSON.stringify(await statuses(key))}`);
  return seen as number[];
}

/** Milliseconds from the commit of the current version (config_state.updated_at, same machine clock) to each time. */
const sinceCommit = async (times: number[]) => {
  const [row] = await prisma.$queryRaw<Array<{ at: Date }>>`SELECT updated_at AS at FROM config_state WHERE id = 1`;
  return times.map((t) => t - row!.at.getTime());
};

const gatewayEnv = (extra: Record<string, string> = {}) => ({
  DATABASE_URL: databaseUrl, REDIS_URL: redis.url, SIM_KEY: "sk-sim", CONFIG_POLL_INTERVAL_MS: "1000", FLEET_REPORT_INTERVAL_MS: "1000",
  // Counting locally while the test's Redis is down, so an answer reflects the key's configuration.
  COUNTERS_FAILURE_MODE: "open", COUNTERS_TIMEOUT_MS: "300", ...extra,
});

beforeAll(async () => {
  sim = await startOpenAiSimulator({ apiKey: "sk-sim" });
  redis = await privateRedis();
  await redis.start();
  await recreateDatabase(adminUrl, dbName);
  await migrate(databaseUrl);
  prisma = createPrisma(databaseUrl, { max: 2 });
  bus = createRedisBus(redis.url, { commandTimeoutMs: 2_000 });
  const applied = await cli("apply", "-f", file(vk("cd-a", keyA) + vk("cd-b", keyB) + vk("cd-c", keyC, "disabled")));
  expect(applied.out).toMatch(/published: configuration v\d+/);
  expect(applied.code).toBe(0);
  gateways = await Promise.all([0, 1].map(() => startReplica(undefined, gatewayEnv(), { namespace })));
}, 120_000);

afterAll(async () => {
  await Promise.all([...gateways, ...stopped].map((g) => g.stop()));
  await bus?.close();
  await prisma?.$disconnect();
  await redis?.stop();
  await sim?.close();
  await recreateDatabase(adminUrl, dbName).then(() => undefined, () => undefined);
});

describe("configuration delivery between processes", () => {
  it("both gateways start from the published snapshot and report it in the fleet status", async () => {
    expect(await statuses(keyA)).toEqual([200, 200]);
    const v = await committed();
    expect(await versions()).toEqual([v, v]);
    await expect.poll(async () => (await readFleetStatus(bus, v, namespace)).summary, { timeout: 10_000 }).toBe(`v${v} on 2 of 2 nodes`);
    const fleet = await readFleetStatus(bus, v, namespace);
    for (const n of fleet.nodes) expect(n.circuits).toMatchObject({ open: 0, halfOpen: 0, notClosed: [] });
    const status = await cli("status", "--json");
    expect(JSON.parse(status.out.slice(status.out.indexOf("{")))).toMatchObject({ committedVersion: v, fleet: { summary: `v${v} on 2 of 2 nodes` } });
  });

  it("a key revoked through the CLI is refused by both gateways; the change arrives as a delta", async () => {
    const refused = untilAll(keyA, 401);
    const revoke = await cli("keys", "revoke", "cd-a");
    expect(revoke.code).toBe(0);
    expect(revoke.out).toMatch(/published: configuration v\d+ .*delta \d+ bytes/);
    const latency = await sinceCommit(await refused);
    console.log(`revocation through the CLI: refused by both gateways ${latency.join(" / ")} ms after the commit (compile, sign, store, announce, apply included)`);
    expect(await statuses(keyB)).toEqual([200, 200]);
    const v = await committed();
    expect(await versions()).toEqual([v, v]);
    for (const g of gateways) expect(g.stderr.join("")).toContain(`configuration v${v} applied (bus)`);
  });

  it("a Redis restart between two changes loses neither", async () => {
    const disabled = await cli("keys", "disable", "cd-b");
    expect(disabled.code).toBe(0);
    await untilAll(keyB, 401);
    await redis.stop();
    await redis.start();
    const enabled = await cli("keys", "enable", "cd-c");
    expect(enabled.code).toBe(0);
    await untilAll(keyC, 200);
    // Both changes stand: B stays disabled, C works, A stays revoked.
    expect(await statuses(keyB)).toEqual([401, 401]);
    expect(await statuses(keyA)).toEqual([401, 401]);
    const v = await committed();
    await expect.poll(versions, { timeout: 10_000 }).toEqual([v, v]);
    await expect.poll(async () => (await configDep(gateways[0]!.url)).state, { timeout: 10_000 }).toBe("up");
  });

  it("with Redis down a change still arrives (PostgreSQL polled), and Redis returning is caught up", async () => {
    await redis.stop();
    const enabled = await cli("keys", "enable", "cd-b");
    expect(enabled.code).toBe(0);
    expect(enabled.out).toMatch(/catch up from PostgreSQL/);
    const latency = await sinceCommit(await untilAll(keyB, 200));
    console.log(`change with Redis down: applied by both gateways ${latency.join(" / ")} ms after the commit (PostgreSQL polled every 1 s)`);
    for (const g of gateways) expect((await configDep(g.url)).detail).not.toMatch(/no configuration/);
    await redis.start();
    const disabled = await cli("keys", "disable", "cd-c");
    expect(disabled.code).toBe(0);
    await untilAll(keyC, 401);
    await expect.poll(async () => Promise.all(gateways.map(async (g) => (await configDep(g.url)).state)), { timeout: 15_000 }).toEqual(["up", "up"]);
  });

  it("a missed delta leads to a full load of the newer version", async () => {
    const before = await committed();
    // v+1 is committed, but its snapshot and announcement never reach anyone…
    const skipped = await prisma.$transaction(async (tx) => {
      await tx.virtualKey.updateMany({ where: { name: "cd-c" }, data: { status: "active" } });
      return bumpConfigVersion(tx);
    });
    const snapSkipped = await compileSnapshot(prisma, new Date());
    const signedSkipped = signSnapshot(snapSkipped, replicaSigningKey);
    // …and v+2 is announced as a delta against v+1, which the gateways do not hold.
    const announced = await prisma.$transaction(async (tx) => {
      await tx.virtualKey.updateMany({ where: { name: "cd-b" }, data: { status: "disabled" } });
      return bumpConfigVersion(tx);
    });
    const snap = await compileSnapshot(prisma, new Date());
    expect([snapSkipped.version, snap.version]).toEqual([skipped.toString(), announced.toString()]);
    expect(BigInt(before) + 2n).toBe(announced);
    const sent = await announceSnapshot({
      bus, signingKey: replicaSigningKey, signed: signSnapshot(snap, replicaSigningKey), snapshot: snap, namespace,
      previous: { version: signedSkipped.version, hash: signedSkipped.hash, snapshot: snapSkipped },
    });
    expect(sent.deltaBytes).not.toBeNull();
    await expect.poll(versions, { timeout: 10_000 }).toEqual([announced.toString(), announced.toString()]);
    expect(await statuses(keyC)).toEqual([200, 200]);
    expect(await statuses(keyB)).toEqual([401, 401]);
    for (const g of gateways) {
      expect(g.stderr.join("")).not.toContain(`configuration v${skipped} applied`);
      expect(g.stderr.join("")).toContain(`configuration v${announced} applied (bus)`);
    }
  });

  it("a forged snapshot on Redis is refused by both and raised as an alert; they keep the last good version", async () => {
    const before = await committed();
    const forger = parseConfigSigningKey(generateConfigSigningKey().privateKeyPem);
    expect(configPublicKeyPem(forger)).not.toBe(configPublicKeyPem(replicaSigningKey));
    // Whoever can write to Redis re-enables the revoked key A under a newer version.
    const forged = await compileSnapshot(prisma, new Date());
    forged.version = (BigInt(before) + 1n).toString();
    for (const k of Object.values(forged.keys)) if (k.name === "cd-a") k.status = "active";
    const signed = signSnapshot(forged, forger);
    await announceSnapshot({ bus, signingKey: forger, signed, snapshot: forged, namespace });
    // Refused by each: the announcement, and (depending on timing, before or after it) the
    // full snapshot that `latest` points at, each with its own reason.
    const rejected = (g: Replica) => g.alerts.flatMap((a) => (a.kind === "config_signature_rejected" ? [a] : []));
    await expect.poll(() => gateways.every((g) => rejected(g).length >= 1), { timeout: 10_000 }).toBe(true);
    // The forged `latest` stays on Redis and is met at every poll (1 s): not alerted again.
    await new Promise((r) => setTimeout(r, 2_500));
    expect(await statuses(keyA)).toEqual([401, 401]);
    expect(await versions()).toEqual([before, before]);
    for (const g of gateways) {
      const alerts = rejected(g);
      expect(alerts.length).toBeLessThanOrEqual(2);
      expect(new Set(alerts.map((a) => a.reason)).size).toBe(alerts.length);
      for (const a of alerts) expect(a).toMatchObject({ version: forged.version, source: "bus" });
      expect(g.stderr.join("").split(`refused configuration from bus (v${forged.version})`).length - 1).toBe(alerts.length);
    }
  });

  it("a circuit opened by upstream failures shows in the fleet status with its node and target", async () => {
    const g = gateways[0]!;
    const node = `replica-${g.port}`;
    sim.setFaults({ status: 503 });
    try {
      for (let i = 0; i < 6; i++) expect(await call(g.url, keyC)).toBeGreaterThanOrEqual(500);
      await expect.poll(async () => (await readFleetStatus(bus, undefined, namespace)).openCircuits.map((c) => [c.node, c.state]), { timeout: 10_000 })
        .toEqual([[node, "open"]]);
      const fleet = await readFleetStatus(bus, undefined, namespace);
      expect(fleet.summary).toMatch(/; 1 circuit not closed$/);
      expect(fleet.openCircuits[0]!.target).toContain("gpt-4o-mini");
      expect(fleet.nodes.find((n) => n.node === node)!.circuits).toMatchObject({ open: 1, halfOpen: 0 });
      const status = await cli("status");
      expect(status.out).toContain(`circuit open      ${node}: ${fleet.openCircuits[0]!.target}`);
    } finally {
      sim.setFaults(undefined);
    }
  });

  it("cold start with Redis and PostgreSQL both unreachable: the last good snapshot from disk, and /readyz says so", async () => {
    const v = await committed();
    const old = gateways[0]!;
    await old.stop();
    stopped.push(old);
    gateways = gateways.slice(1);
    const deadPort = await freePort();
    const cold = await startReplica(undefined, {
      DATABASE_URL: withDatabase(`postgresql://postgres@127.0.0.1:${deadPort}/x`, "x"), REDIS_URL: `redis://127.0.0.1:${deadPort}`, SIM_KEY: "sk-sim",
      COUNTERS_FAILURE_MODE: "open", COUNTERS_TIMEOUT_MS: "200", CONFIG_POLL_INTERVAL_MS: "1000",
    }, { dataDir: old.dataDir, namespace });
    stopped.push(cold);
    const dep = await configDep(cold.url);
    expect(dep).toMatchObject({ state: "degraded" });
    expect(dep.detail).toBe(`serving last good configuration from disk, v${v} (Redis and PostgreSQL unreachable)`);
    expect(await call(cold.url, keyC)).toBe(200);
    expect(await call(cold.url, keyA)).toBe(401);
    expect(await call(cold.url, keyB)).toBe(401);
  });
});

/**
 * Configuration delivery at scale (a script, not a test): 100,000 virtual keys.
 *   node --expose-gc --import tsx packages/config-sync/src/scale.bench.ts [keys] [changes]
 * Env: BENCH_DATABASE_URL (admin URL, default postgresql://postgres@127.0.0.1:5432/postgres; a
 * scratch database `pc_config_bench` is recreated and dropped), REDIS_URL (default
 * redis://127.0.0.1:6379; a random key namespace is used), CONFIG_BENCH_JSON (a file to write
 * the rows and the headline figures to, for `pnpm bench`). Prints a table.
 */
import { fork, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { loadavg } from "node:os";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { Redis } from "ioredis";
import { newId, type ConfigSnapshot } from "@portcullis/core";
import { bumpConfigVersion, createPrisma, recreateDatabase, withDatabase, type PrismaClient } from "@portcullis/db";
import { migrate } from "@portcullis/db/migrate";
import { canonicalJson } from "./canonical";
import { compileSnapshot } from "./compile";
import { diffSnapshots } from "./delta";
import { decodeSignedSnapshot, encodeSignedSnapshot } from "./envelope";
import { applyDeltaHashed, buildHashTree } from "./hash-tree";
import { createConfigHolder } from "./holder";
import { createConfigPublisher, publishConfig, type PublishPhase } from "./publisher";
import { createRedisBus } from "./redis-bus";
import { generateConfigSigningKey, parseConfigPublicKey, parseConfigSigningKey, serializeSnapshot, signSnapshot, verifySnapshot } from "./signing";
import { startConfigSubscriber } from "./subscriber";

const adminUrl = process.env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const dbName = "pc_config_bench";
const gc = (globalThis as { gc?: () => void }).gc;

type Row = [string, string];
const rows: Row[] = [];
/** Headline numbers for `pnpm bench` (ms, bytes, ns). */
const figures: Record<string, number> = {};
const row = (what: string, value: string) => {
  rows.push([what, value]);
  console.error(`  ${what}: ${value}`);
};
const ms = (n: number) => `${n.toFixed(n < 10 ? 2 : 0)} ms`;
const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
let lastCpuMs = 0;
/** Wall time; the CPU time of this process is kept in lastCpuMs (the machine may be shared). */
const time = async <T>(f: () => T | Promise<T>): Promise<[T, number]> => {
  const c = cpuNow();
  const t = performance.now();
  const r = await f();
  lastCpuMs = cpuNow() - c;
  return [r, performance.now() - t];
};
const both = (wall: number) => `${ms(lastCpuMs)} CPU, ${ms(wall)} wall`;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

async function seed(prisma: PrismaClient, n: number): Promise<string[]> {
  const teams = Array.from({ length: 50 }, (_, i) => ({ id: newId("team"), slug: `team-${i}`, name: `Team ${i}` }));
  const customers = Array.from({ length: 20 }, (_, i) => ({ id: newId("customer"), name: `Customer ${i}` }));
  const providerId = newId("provider");
  await prisma.team.createMany({ data: teams });
  await prisma.customer.createMany({ data: customers });
  await prisma.provider.create({ data: { id: providerId, name: "openai", type: "openai" } });
  await prisma.providerKey.create({ data: { id: newId("providerKey"), name: "prod", providerId, credentialRef: "env://OPENAI_API_KEY" } });
  const hashes: string[] = [];
  const batch = 10_000;
  // Multi-row INSERT ... SELECT FROM unnest(arrays): one statement and five parameters per batch.
  for (let start = 0; start < n; start += batch) {
    const count = Math.min(batch, n - start);
    const ids: string[] = [], keyHashes: string[] = [], teamIds: string[] = [], customerIds: (string | null)[] = [], nums: number[] = [];
    for (let j = 0; j < count; j++) {
      const i = start + j;
      const keyHash = randomBytes(32).toString("hex");
      hashes.push(keyHash);
      ids.push(newId("virtualKey"));
      keyHashes.push(keyHash);
      teamIds.push(teams[i % teams.length]!.id);
      customerIds.push(i % 3 === 0 ? customers[i % customers.length]!.id : null);
      nums.push(i);
    }
    await prisma.$executeRawUnsafe(
      `INSERT INTO virtual_keys (id, key_hash, prefix, name, team_id, customer_id, environment, allowed_providers, allowed_models,
         blocked_models, allowed_endpoints, ip_allow_list, metadata, updated_at)
       SELECT id, key_hash, 'pck_' || left(key_hash, 6), 'key-' || n, team_id, customer_id, 'prod', ARRAY['*'],
         CASE WHEN n % 2 = 1 THEN ARRAY['*'] ELSE ARRAY['openai/gpt-4o', 'openai/gpt-4o-mini'] END, '{}', ARRAY['*'], '{}',
         jsonb_build_object('owner', 'user-' || (n % 997) || '@example.com', 'costCenter', 'cc-' || (n % 40)), now()
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[]) AS t(id, key_hash, team_id, customer_id, n)`,
      ids, keyHashes, teamIds, customerIds, nums,
    );
  }
  // A rate limit on every tenth key and on each team, so limits are a realistic share of the snapshot.
  const keys = await prisma.virtualKey.findMany({ select: { id: true }, take: Math.ceil(n / 10) });
  await prisma.rateLimit.createMany({ data: keys.map((k) => ({ id: newId("rateLimit"), scopeType: "virtual_key" as const, scopeId: k.id, rpm: 60 })) });
  await prisma.rateLimit.createMany({ data: teams.map((t) => ({ id: newId("rateLimit"), scopeType: "team" as const, scopeId: t.id, rpm: 6000, tpm: 1_000_000 })) });
  await prisma.$transaction((tx) => bumpConfigVersion(tx));
  return hashes;
}

/** Everything measured inside this process; returns only the signing keys. */
async function measureInProcess(prisma: PrismaClient, hashes: string[], n: number) {
  await compileSnapshot(prisma); // warm-up (Prisma query plans, JIT)
  const compileRuns: number[] = [];
  let snapshot!: ConfigSnapshot;
  for (let i = 0; i < 3; i++) {
    const [s, t] = await time(() => compileSnapshot(prisma));
    snapshot = s;
    compileRuns.push(t);
  }
  figures.compileMs = Math.min(...compileRuns);
  row("compile (REPEATABLE READ; wall, best of 3)", `${ms(Math.min(...compileRuns))} (runs: ${compileRuns.map((t) => t.toFixed(0)).join(", ")} ms; last run ${ms(lastCpuMs)} CPU in this process)`);

  const [text, canonMs] = await time(() => canonicalJson(snapshot));
  row("canonical serialization of the compiled snapshot", both(canonMs));
  const [, recanonMs] = await time(() => canonicalJson(JSON.parse(text) as unknown));
  row("canonical serialization of a parsed one (parse included)", both(recanonMs));
  const bytes = Buffer.byteLength(text);
  figures.snapshotBytes = bytes;
  row("snapshot size: canonical JSON", `${mib(bytes)} (${(bytes / n).toFixed(0)} B/key)`);
  const [gz1, gz1Ms] = await time(() => gzipSync(text, { level: 1 }));
  const gzCpu = lastCpuMs;
  const gz6 = gzipSync(text);
  figures.snapshotGzipBytes = gz1.byteLength;
  row("snapshot size: gzip level 1 (bus, disk) / level 6", `${mib(gz1.byteLength)} (${ms(gzCpu)} CPU, ${ms(gz1Ms)} wall) / ${mib(gz6.byteLength)}`);

  const { privateKeyPem, publicKeyPem } = generateConfigSigningKey();
  const priv = parseConfigSigningKey(privateKeyPem);
  const pub = parseConfigPublicKey(publicKeyPem);
  const [, treeMs] = await time(() => buildHashTree(snapshot));
  row("hash tree of the whole snapshot (256 buckets per keyed section)", both(treeMs));
  const [signed, signMs] = await time(() => signSnapshot(snapshot, priv));
  row("sign in full (canonical serialize + hash tree + Ed25519)", both(signMs));
  const [, verifyMs] = await time(() => verifySnapshot(signed, [pub]));
  figures.loadCpuMs = lastCpuMs;
  row("verify + parse in full (Ed25519 + JSON.parse + hash tree)", both(verifyMs));
  const blob = encodeSignedSnapshot(signed);
  const [, decodeMs] = await time(() => decodeSignedSnapshot(blob));
  row("gunzip envelope from the bus", both(decodeMs));
  const [, parseMs] = await time(() => JSON.parse(signed.data.toString("utf8")) as ConfigSnapshot);
  row("load (JSON.parse)", both(parseMs));

  gc?.();
  const before = process.memoryUsage().heapUsed;
  let held: ConfigSnapshot | undefined = JSON.parse(signed.data.toString("utf8")) as ConfigSnapshot;
  gc?.();
  const after = process.memoryUsage().heapUsed;
  figures.memoryPerKeyBytes = (after - before) / n;
  row(`memory per key (heap delta / ${n}${gc ? "" : ", no --expose-gc: rough"})`, `${((after - before) / n).toFixed(0)} B (${mib(after - before)} total)`);

  const probes = Array.from({ length: 1_000_000 }, (_, i) => (i % 2 ? hashes[(i * 7919) % hashes.length]! : randomBytes(32).toString("hex")));
  const asMap = new Map(Object.entries(held.keys));
  // CPU time per lookup: not inflated by other processes on a shared machine.
  const lookup = (get: (h: string) => unknown) => {
    let found = 0;
    const c = cpuNow();
    for (const h of probes) if (get(h) !== undefined) found++;
    return [(cpuNow() - c) * 1e6 / probes.length, found] as const;
  };
  const keysRecord = held.keys;
  lookup((h) => keysRecord[h]);
  const [objNs] = lookup((h) => keysRecord[h]);
  lookup((h) => asMap.get(h));
  const [mapNs, found] = lookup((h) => asMap.get(h));
  figures.lookupNs = objNs;
  row("lookup by hash, 50% hits (snapshot object / Map)", `${objNs.toFixed(0)} ns / ${mapNs.toFixed(0)} ns per op (${found} hits of 1e6)`);
  held = undefined;

  const revoked = structuredClone(snapshot.keys[hashes[0]!]!);
  revoked.status = "revoked";
  const next = { ...snapshot, version: String(Number(snapshot.version) + 1), keys: { ...snapshot.keys, [hashes[0]!]: revoked } };
  const [delta] = await time(() => diffSnapshots(snapshot, next));
  const diffCpu = lastCpuMs;
  const parsed = JSON.parse(text) as ConfigSnapshot; // what a gateway holds, with its tree
  const holding = { snapshot: parsed, tree: buildHashTree(parsed) };
  const wire = JSON.parse(JSON.stringify(delta)) as typeof delta;
  const [applied] = await time(() => applyDeltaHashed(holding, wire));
  const applyCpu = lastCpuMs;
  if (applied.tree.root !== serializeSnapshot(next).hash) throw new Error("the re-hashed tree does not match the from-scratch hash");
  row("one-key delta: diff (publisher) / apply + re-hash touched buckets (gateway), CPU", `${ms(diffCpu)} / ${ms(applyCpu)}; ${JSON.stringify(delta).length} bytes`);

  return { priv, publicKeyPem };
}

/** A gateway in its own process (its own event loop and CPU time, like a real node). */
async function subscriberProcess(): Promise<void> {
  const [, , , nodeName, ns, publicKeyPem] = process.argv;
  const holder = createConfigHolder<ConfigSnapshot>();
  // The longest the event loop stood still (requests waiting) around each applied change.
  const stall = monitorEventLoopDelay({ resolution: 10 });
  stall.enable();
  holder.onSwap((s) => {
    // Reported on the next turn, so the histogram includes the apply that just finished.
    const at = Date.now();
    const cpu = cpuNow();
    setTimeout(() => {
      process.send!({ applied: s.version, at, cpu, stallMs: stall.max / 1e6 });
      stall.reset();
    }, 20);
  });
  const sub = await startConfigSubscriber({
    bus: createRedisBus(redisUrl), holder, publicKeys: [parseConfigPublicKey(publicKeyPem!)], nodeName: nodeName!, namespace: ns, pollIntervalMs: 60_000, fleet: false,
    log: (l) => (l.includes("applied") ? undefined : console.error(`[${nodeName}] ${l}`)),
  });
  process.send!({ ready: sub.status().version });
  process.on("message", (m) => {
    if (m === "stop") void sub.stop().then(() => process.exit(0));
  });
}

async function main() {
  const n = Number(process.argv[2] ?? 100_000);
  const changes = Number(process.argv[3] ?? 50);
  console.error(`configuration delivery benchmark: ${n} virtual keys, ${changes} changes`);
  const url = await recreateDatabase(adminUrl, dbName);
  await migrate(url);
  const prisma = createPrisma(url, { max: 4 });
  const children: ChildProcess[] = [];
  try {
    const [hashes, seedMs] = await time(() => seed(prisma, n));
    row(`insert ${n} keys (10,000-row INSERT ... unnest)`, ms(seedMs));

    const { priv, publicKeyPem } = await measureInProcess(prisma, hashes, n);
    // Only what the propagation phase needs is still referenced: collect the rest, as a
    // console process would not hold five copies of the configuration.
    gc?.();

    // Propagation: commit -> applied on two gateways in their own processes, over Redis.
    const ns = `pcbench${randomBytes(3).toString("hex")}`;
    const bus = createRedisBus(redisUrl, { commandTimeoutMs: 30_000 });
    const [, oneShotMs] = await time(() => publishConfig({ prisma, bus, signingKey: priv, namespace: ns, keepSnapshots: 3 }));
    row("one-shot publish, e.g. CLI (compile + sign + store + load previous + diff + announce)", ms(oneShotMs));
    // Long-lived, like the console: remembers the last snapshot it published.
    const phases = new Map<PublishPhase, number[]>();
    const announcedAt = new Map<string, number>();
    const publisher = createConfigPublisher({
      prisma, bus, signingKey: priv, namespace: ns, keepSnapshots: 3, snapshotTtlSeconds: 600,
      onPhase: (phase, took, version) => {
        if (phase === "announce") announcedAt.set(version, Date.now());
        (phases.get(phase) ?? phases.set(phase, []).get(phase)!).push(Math.round(took));
      },
    });
    const appliedAt = new Map<string, number>();
    const appliedCpu = new Map<string, number>();
    const stalls = new Map<string, number>();
    const readyAt: number[] = [];
    for (const name of ["gw-1", "gw-2"]) {
      const t0 = Date.now();
      const child = fork(fileURLToPath(import.meta.url), ["subscriber", name, ns, publicKeyPem], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
      children.push(child);
      await new Promise<void>((resolve) => child.on("message", (m: { ready?: string; applied?: string; at?: number; cpu?: number; stallMs?: number }) => {
        if (m.ready !== undefined) {
          readyAt.push(Date.now() - t0);
          resolve();
        }
        if (m.applied) {
          appliedAt.set(`${name}:${m.applied}`, m.at!);
          appliedCpu.set(`${name}:${m.applied}`, m.cpu!);
          stalls.set(`${name}:${m.applied}`, m.stallMs!);
        }
      }));
    }
    row("gateway cold start from the bus (process start + full load)", readyAt.map((t) => ms(t)).join(" / "));
    // A new publisher (a console that just started) compiles and hashes everything once.
    await prisma.$transaction((tx) => bumpConfigVersion(tx));
    const [first, firstMs] = await time(() => publisher.publish());
    for (const name of ["gw-1", "gw-2"]) {
      while (!stalls.has(`${name}:${first.version}`)) await new Promise((res) => setTimeout(res, 5));
    }
    row("first publish of a new long-lived publisher (full compile + whole tree), until stored", ms(firstMs));
    phases.clear();
    const commitToApplied: number[] = [];
    const publishToApplied: number[] = [];
    const commitToAnnounced: number[] = [];
    const publishMs: number[] = [];
    const publishCpu: number[] = [];
    const gatewayCpu: number[] = [];
    const stallMs: number[] = [];
    let previousVersion: string | undefined;
    for (let i = 0; i < changes; i++) {
      const hash = hashes[(i * 104_729) % hashes.length]!;
      await prisma.$transaction(async (tx) => {
        await tx.virtualKey.update({ where: { keyHash: hash }, data: { status: i % 2 ? "active" : "disabled" } });
        await bumpConfigVersion(tx);
      });
      const tCommit = Date.now();
      const [r] = await time(() => publisher.publish());
      publishCpu.push(lastCpuMs);
      if (r.busError) console.error(`  v${r.version}: ${r.busError}`);
      const tPublished = announcedAt.get(r.version) ?? Date.now();
      publishMs.push(Date.now() - tCommit);
      commitToAnnounced.push(tPublished - tCommit);
      for (const name of ["gw-1", "gw-2"]) {
        const deadline = Date.now() + 180_000;
        while (!stalls.has(`${name}:${r.version}`) && Date.now() < deadline) await new Promise((res) => setTimeout(res, 2));
        if (!stalls.has(`${name}:${r.version}`)) throw new Error(`${name} did not apply v${r.version} within 180 s`);
        stallMs.push(stalls.get(`${name}:${r.version}`)!);
        const at = appliedAt.get(`${name}:${r.version}`)!;
        commitToApplied.push(at - tCommit);
        publishToApplied.push(at - tPublished);
        const before = previousVersion && appliedCpu.get(`${name}:${previousVersion}`);
        if (before) gatewayCpu.push(appliedCpu.get(`${name}:${r.version}`)! - before);
      }
      previousVersion = r.version;
      if ((i + 1) % 10 === 0) console.error(`  ... ${i + 1} changes`);
    }
    const dist = (xs: number[]) => `p50 ${pct(xs, 50)} ms, p99 ${pct(xs, 99)} ms, max ${Math.max(...xs)} ms`;
    row(`publish, long-lived publisher (until stored), ${changes} one-key changes`, dist(publishMs));
    for (const [phase, xs] of phases) row(`  phase ${phase}`, dist(xs));
    row("  publisher CPU per publish (this process; PostgreSQL not counted)", dist(publishCpu.map(Math.round)));
    row("commit -> announced (compile changed keys + diff + re-hash + sign + publish)", dist(commitToAnnounced));
    row("announce -> applied on both gateways (verify + apply delta + re-hash touched buckets)", dist(publishToApplied));
    row("  gateway CPU per applied change", dist(gatewayCpu.map(Math.round)));
    row("  gateway longest event-loop stall per change", dist(stallMs.map(Math.round)));
    row("commit -> applied on both gateways", dist(commitToApplied));
    Object.assign(figures, {
      commitToAppliedP50Ms: pct(commitToApplied, 50), commitToAppliedP99Ms: pct(commitToApplied, 99),
      commitToAnnouncedP50Ms: pct(commitToAnnounced, 50), announceToAppliedP50Ms: pct(publishToApplied, 50),
      gatewayCpuPerChangeP50Ms: pct(gatewayCpu, 50), gatewayStallP50Ms: pct(stallMs, 50),
    });
    await bus.close();
    const redis = new Redis(redisUrl);
    const leftovers = await redis.keys(`${ns}:*`);
    if (leftovers.length) await redis.del(...leftovers);
    redis.disconnect();
  } finally {
    for (const c of children) c.send("stop");
    await prisma.$disconnect();
    const admin = createPrisma(withDatabase(adminUrl, "postgres"), { max: 1 });
    await admin.$executeRawUnsafe(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch(() => {});
    await admin.$disconnect();
  }
  const width = Math.max(...rows.map(([w]) => w.length));
  console.log(`\nConfiguration delivery, ${n} virtual keys (${new Date().toISOString()}, Node ${process.version}, load average ${loadavg().map((l) => l.toFixed(1)).join(" ")})`);
  for (const [what, value] of rows) console.log(`${what.padEnd(width)}  ${value}`);
  const jsonPath = process.env.CONFIG_BENCH_JSON;
  if (jsonPath) writeFileSync(jsonPath, `${JSON.stringify({ keys: n, changes, loadAverage: loadavg(), rows, figures }, null, 2)}\n`);
}

if (process.argv[2] === "subscriber") await subscriberProcess();
else await main();

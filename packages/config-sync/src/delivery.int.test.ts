import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { newId, type ConfigSnapshot } from "@portcullis/core";
import { bumpConfigVersion, createPrisma, type Prisma, type PrismaClient } from "@portcullis/db";
import { freePort, privateRedis } from "@portcullis/testkit";
import { signAnnouncement } from "./announcement";
import { busNames, type Bus } from "./bus";
import { decodeSignedSnapshot, encodeSignedSnapshot } from "./envelope";
import { readFleetStatus } from "./fleet";
import { createConfigHolder } from "./holder";
import { createConfigPublisher, publishConfig, type PublishPhase } from "./publisher";
import { createRedisBus } from "./redis-bus";
import { signedCachePath } from "./signed-cache";
import { generateConfigSigningKey, parseConfigPublicKey, parseConfigSigningKey, signSnapshot, verifySnapshot } from "./signing";
import { loadSignedSnapshot, storeSignedSnapshot } from "./snapshot-store";
import { startConfigSubscriber, type ConfigAlert, type ConfigSubscriber, type ConfigSubscriberOptions } from "./subscriber";

const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const keyPair = () => {
  const k = generateConfigSigningKey();
  return { priv: parseConfigSigningKey(k.privateKeyPem), pub: parseConfigPublicKey(k.publicKeyPem) };
};
const signing = keyPair();

let prisma: PrismaClient;
const closers: (() => Promise<unknown>)[] = [];
const namespaces: string[] = [];
beforeAll(() => {
  prisma = createPrisma(process.env.DATABASE_URL!, { max: 4 });
});
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});
afterAll(async () => {
  await prisma?.$disconnect();
  // Leave the shared Redis as found.
  const redis = new Redis(redisUrl);
  for (const ns of namespaces) {
    const leftovers = await redis.keys(`${ns}:*`);
    if (leftovers.length) await redis.del(...leftovers);
  }
  redis.disconnect();
});

const bus = (url = redisUrl): Bus => {
  const b = createRedisBus(url);
  closers.push(() => b.close());
  return b;
};
const namespace = () => {
  const ns = `pctest${randomBytes(4).toString("hex")}`;
  namespaces.push(ns);
  return ns;
};

/** One configuration change: the edit and the version bump in one transaction, like the console's. */
async function change(edit: (tx: Prisma.TransactionClient) => Promise<unknown>): Promise<bigint> {
  return prisma.$transaction(async (tx) => {
    await edit(tx);
    return bumpConfigVersion(tx);
  });
}

async function createKey(): Promise<string> {
  const keyHash = randomBytes(32).toString("hex");
  await change((tx) => tx.virtualKey.create({ data: { id: newId("virtualKey"), keyHash, prefix: "pck_test", name: `k-${keyHash.slice(0, 6)}` } }));
  return keyHash;
}

async function gateway(overrides: Partial<ConfigSubscriberOptions> & { nodeName: string }) {
  const holder = createConfigHolder<ConfigSnapshot>();
  const swaps: string[] = [];
  holder.onSwap((s) => swaps.push(s.version));
  const alerts: ConfigAlert[] = [];
  const sub: ConfigSubscriber = await startConfigSubscriber({
    holder, publicKeys: [signing.pub], pollIntervalMs: 60_000, onAlert: (a) => alerts.push(a), ...overrides,
  });
  closers.push(() => sub.stop());
  return { holder, swaps, alerts, sub };
}

describe("configuration delivery over Redis and PostgreSQL", () => {
  it("two gateways on two Redis connections both apply a change (revocation, then deletion) and report it", async () => {
    const ns = namespace();
    const publisherBus = bus();
    const hash = await createKey();
    const v1 = await publishConfig({ prisma, bus: publisherBus, signingKey: signing.priv, namespace: ns });
    expect(v1.announced).toBe(true);
    const gws = [
      await gateway({ bus: bus(), nodeName: "gw-1", namespace: ns, fleet: { intervalMs: 60_000 } }),
      await gateway({ bus: bus(), nodeName: "gw-2", namespace: ns, fleet: { intervalMs: 60_000 } }),
    ];
    for (const g of gws) expect(g.holder.current()?.keys[hash]?.status).toBe("active");

    const revokedAt = await change((tx) => tx.virtualKey.update({ where: { keyHash: hash }, data: { status: "revoked", revokedAt: new Date() } }));
    const v2 = await publishConfig({ prisma, bus: publisherBus, signingKey: signing.priv, namespace: ns });
    expect(v2).toMatchObject({ version: revokedAt.toString(), prevVersion: v1.version, announced: true });
    expect(v2.deltaBytes).toBeGreaterThan(0);
    for (const g of gws) {
      await expect.poll(() => g.holder.current()?.version).toBe(v2.version);
      expect(g.holder.current()!.keys[hash]!.status).toBe("revoked");
      expect(g.sub.status()).toMatchObject({ version: v2.version, hash: v2.hash, source: "bus", stale: false });
    }
    await expect.poll(async () => (await readFleetStatus(publisherBus, v2.version, ns)).summary).toBe(`v${v2.version} on 2 of 2 nodes`);

    await change((tx) => tx.virtualKey.delete({ where: { keyHash: hash } }));
    const v3 = await publishConfig({ prisma, bus: publisherBus, signingKey: signing.priv, namespace: ns });
    for (const g of gws) {
      await expect.poll(() => g.holder.current()?.version).toBe(v3.version);
      expect(g.holder.current()!.keys[hash]).toBeUndefined();
      expect(g.swaps).toEqual([v1.version, v2.version, v3.version]);
      expect(g.alerts).toEqual([]);
    }
  });

  it("a long-lived publisher announces each delta before storing the snapshot; a gateway that missed one loads the full snapshot once stored", async () => {
    const ns = namespace();
    const inner = bus();
    // The publisher's snapshot stores wait while `held` is set: the window between announcement and store.
    let held = false;
    const publisherBus: Bus = {
      ...inner,
      async set(key, value, ttl) {
        while (held) await new Promise((resolve) => setTimeout(resolve, 20));
        return inner.set(key, value, ttl);
      },
    };
    const phases: string[] = [];
    const publisher = createConfigPublisher({
      prisma, bus: publisherBus, signingKey: signing.priv, namespace: ns,
      onPhase: (phase: PublishPhase, _ms, version) => phases.push(`${version} ${phase}`),
    });
    const hashes = [await createKey(), await createKey()];
    const v1 = await publisher.publish();
    const g = await gateway({ bus: bus(), nodeName: "gw-fast", namespace: ns, fleet: false });
    // h loses the next announcement it receives.
    let dropNext = false;
    const hBus = bus();
    const h = await gateway({
      bus: { ...hBus, subscribe: (channel, handler) => hBus.subscribe(channel, (m) => (dropNext ? void (dropNext = false) : handler(m))) },
      nodeName: "gw-missed", namespace: ns, fleet: false, pollIntervalMs: 60_000,
    });
    for (const x of [g, h]) expect(x.holder.current()?.version).toBe(v1.version);

    held = true;
    dropNext = true;
    await change((tx) => tx.virtualKey.update({ where: { keyHash: hashes[0]! }, data: { status: "revoked" } }));
    const p2 = publisher.publish();
    // Each delta is out while no snapshot can be stored on the bus: g applies it.
    await expect.poll(() => g.swaps.length, { timeout: 10_000 }).toBe(2);
    await change((tx) => tx.virtualKey.update({ where: { keyHash: hashes[1]! }, data: { status: "disabled" } }));
    const p3 = publisher.publish();
    await expect.poll(() => g.swaps.length, { timeout: 10_000 }).toBe(3);
    const [v2, v3] = g.swaps.slice(1);
    expect(g.holder.current()!.keys[hashes[0]!]!.status).toBe("revoked");
    expect(g.holder.current()!.keys[hashes[1]!]!.status).toBe("disabled");
    // h missed v2, so v3's delta does not apply to what it holds, and nothing is stored yet to load.
    expect(h.holder.current()?.version).toBe(v1.version);

    held = false;
    const [r2, r3] = await Promise.all([p2, p3]);
    expect([r2.version, r3.version]).toEqual([v2, v3]);
    expect(r3).toMatchObject({ prevVersion: v2, announced: true });
    expect(r3.busError).toBeUndefined();
    for (const v of [v2, v3]) expect(phases.indexOf(`${v} announce`)).toBeLessThan(phases.indexOf(`${v} store-bus`));
    expect(phases.indexOf(`${v3} store-bus`)).toBeGreaterThan(-1);
    // The full snapshot stored after the announcement verifies, with the hash the delta produced.
    const stored = (await loadSignedSnapshot(prisma, r3.version))!;
    expect(stored.hash).toBe(r3.hash);
    expect(verifySnapshot(stored, [signing.pub]).ok).toBe(true);
    expect(g.sub.status()).toMatchObject({ version: v3, hash: r3.hash, source: "bus" });
    // h retries its full load and finds it, without waiting for its (one-minute) poll.
    await expect.poll(() => h.holder.current()?.version, { timeout: 10_000 }).toBe(v3);
    expect(h.sub.status()).toMatchObject({ hash: r3.hash, source: "bus" });
    expect(h.swaps).toEqual([v1.version, v3]);
    for (const x of [g, h]) expect(x.alerts).toEqual([]);
  });

  it("a Redis restart between two changes loses neither", async () => {
    const redis = await privateRedis();
    await redis.start();
    closers.push(() => redis.stop());
    const publisherBus = bus(redis.url);
    await createKey();
    const v1 = await publishConfig({ prisma, bus: publisherBus, signingKey: signing.priv });
    // A keeps polling PostgreSQL while Redis is down; B only has Redis.
    const a = await gateway({ bus: bus(redis.url), prisma, nodeName: "gw-a", pollIntervalMs: 200, fleet: false });
    const b = await gateway({ bus: bus(redis.url), nodeName: "gw-b", pollIntervalMs: 200, fleet: false });
    for (const g of [a, b]) expect(g.holder.current()?.version).toBe(v1.version);

    await redis.stop();
    const k2 = await createKey();
    const v2 = await publishConfig({ prisma, bus: publisherBus, signingKey: signing.priv });
    expect(v2.announced).toBe(false);
    expect(v2.busError).toBeTruthy();
    expect(await loadSignedSnapshot(prisma, v2.version)).toBeDefined();
    await expect.poll(() => a.holder.current()?.version, { timeout: 15_000 }).toBe(v2.version);
    expect(a.holder.current()!.keys[k2]).toBeDefined();
    expect(a.sub.status().source).toBe("database");
    await expect.poll(() => b.sub.status().stale, { timeout: 10_000 }).toBe(true);
    expect(b.holder.current()?.version).toBe(v1.version);

    await redis.start();
    const k3 = await createKey();
    const v3 = await publishConfig({ prisma, bus: publisherBus, signingKey: signing.priv });
    expect(v3.announced).toBe(true);
    for (const g of [a, b]) {
      await expect.poll(() => g.holder.current()?.version, { timeout: 15_000 }).toBe(v3.version);
      expect(g.holder.current()!.keys[k2]).toBeDefined();
      expect(g.holder.current()!.keys[k3]).toBeDefined();
      await expect.poll(() => g.sub.status().stale, { timeout: 10_000 }).toBe(false);
    }
    expect(a.swaps).toEqual([v1.version, v2.version, v3.version]);
    expect(b.swaps).toEqual([v1.version, v3.version]);
  });

  it("refuses a forged snapshot (another key, or altered after signing) and keeps the last good version", async () => {
    const ns = namespace();
    const names = busNames(ns);
    const publisherBus = bus();
    const attackerBus = bus();
    const hash = await createKey();
    const v1 = await publishConfig({ prisma, bus: publisherBus, signingKey: signing.priv, namespace: ns });
    const g = await gateway({ bus: bus(), nodeName: "gw-f", namespace: ns, fleet: false });
    expect(g.holder.current()?.version).toBe(v1.version);

    // 1. Whoever can write Redis, signing with their own key.
    const attacker = keyPair();
    const forged = { ...g.holder.current()!, version: String(BigInt(v1.version) + 100n) };
    forged.keys[hash] = { ...forged.keys[hash]!, allowedModels: ["*"], metadata: { forged: true } };
    const forgedSigned = signSnapshot(forged, attacker.priv);
    await attackerBus.set(names.keys.snapshot(forged.version), encodeSignedSnapshot(forgedSigned));
    await attackerBus.set(names.keys.latestSnapshot, encodeSignedSnapshot(forgedSigned));
    await attackerBus.publish(names.channels.config, JSON.stringify(signAnnouncement(
      { version: forged.version, prevVersion: v1.version, prevHash: v1.hash, hash: forgedSigned.hash, keyId: forgedSigned.keyId, snapshotSignature: forgedSigned.signature, delta: null },
      attacker.priv,
    )));
    await expect.poll(() => g.alerts.length).toBeGreaterThanOrEqual(2);
    expect(g.alerts[0]).toMatchObject({ kind: "config_signature_rejected", version: forged.version, source: "bus" });

    // 2. A genuine, signed v2 whose content is altered on its way through Redis.
    await change((tx) => tx.virtualKey.update({ where: { keyHash: hash }, data: { status: "revoked" } }));
    const v2 = await publishConfig({ prisma, signingKey: signing.priv }); // stored in PostgreSQL only
    const genuine = (await loadSignedSnapshot(prisma, v2.version))!;
    const altered = { ...genuine, data: Buffer.from(genuine.data.toString().replace('"status":"revoked"', '"status":"active"')) };
    expect(altered.data.equals(genuine.data)).toBe(false);
    await attackerBus.set(names.keys.snapshot(v2.version), encodeSignedSnapshot(altered));
    const before = g.alerts.length;
    await attackerBus.publish(names.channels.config, JSON.stringify(signAnnouncement(
      { version: v2.version, prevVersion: null, prevHash: null, hash: genuine.hash, keyId: genuine.keyId, snapshotSignature: genuine.signature, delta: null },
      signing.priv, // even a correctly signed announcement cannot carry altered content
    )));
    await expect.poll(() => g.alerts.slice(before).map((a) => a.reason)).toContain("content does not match the signed hash");
    expect(g.holder.current()!.version).toBe(v1.version);
    expect(g.holder.current()!.keys[hash]!.status).toBe("active");
    expect(g.swaps).toEqual([v1.version]);
    expect(g.sub.status().lastError).toMatch(/rejected/);

    // A gateway that also reads PostgreSQL falls back to the genuine row.
    const withDb = await gateway({ bus: bus(), prisma, nodeName: "gw-g", namespace: ns, fleet: false });
    expect(withDb.holder.current()?.version).toBe(v2.version);
    expect(withDb.holder.current()!.keys[hash]!.status).toBe("revoked");
  });

  it("a missed delta (v3 announced while at v1) triggers a full load", async () => {
    const ns = namespace();
    const publisherBus = bus();
    await createKey();
    const v1 = await publishConfig({ prisma, bus: publisherBus, signingKey: signing.priv, namespace: ns });
    const g = await gateway({ bus: bus(), nodeName: "gw-m", namespace: ns, fleet: false });
    await createKey();
    const v2 = await publishConfig({ prisma, signingKey: signing.priv }); // this gateway never hears of it
    const k3 = await createKey();
    const v3 = await publishConfig({ prisma, bus: publisherBus, signingKey: signing.priv, namespace: ns });
    expect(v3.prevVersion).toBe(v2.version);
    await expect.poll(() => g.holder.current()?.version).toBe(v3.version);
    expect(g.holder.current()!.keys[k3]).toBeDefined();
    expect(g.swaps).toEqual([v1.version, v3.version]);
    expect(g.alerts).toEqual([]);
  });

  it("cold start with Redis and PostgreSQL unreachable: the disk cache, said so; a tampered one is refused", async () => {
    const ns = namespace();
    const dataDir = mkdtempSync(join(tmpdir(), "pc-cold-"));
    const hash = await createKey();
    const v = await publishConfig({ prisma, bus: bus(), signingKey: signing.priv, namespace: ns });
    const warm = await gateway({ bus: bus(), prisma, nodeName: "gw-w", namespace: ns, dataDir, fleet: false });
    expect(warm.holder.current()?.version).toBe(v.version);
    await warm.sub.stop();

    const deadPort = await freePort();
    const deadDb = createPrisma(`postgresql://postgres@127.0.0.1:${deadPort}/nothing`, { max: 1 });
    closers.push(() => deadDb.$disconnect());
    const cold = await gateway({ bus: bus(`redis://127.0.0.1:${deadPort}`), prisma: deadDb, nodeName: "gw-c", namespace: ns, dataDir, fleet: false });
    expect(cold.holder.current()?.version).toBe(v.version);
    expect(cold.holder.current()!.keys[hash]).toBeDefined();
    expect(cold.sub.status()).toMatchObject({
      version: v.version, source: "disk", stale: true,
      detail: `serving last good configuration from disk, v${v.version} (Redis and PostgreSQL unreachable)`,
    });
    await cold.sub.stop();

    const path = signedCachePath(dataDir);
    const cached = decodeSignedSnapshot(readFileSync(path));
    writeFileSync(path, encodeSignedSnapshot({ ...cached, data: Buffer.from(cached.data.toString().replace('"pck_test"', '"pck_evil"')) }));
    const refused = await gateway({ bus: bus(`redis://127.0.0.1:${deadPort}`), prisma: deadDb, nodeName: "gw-t", namespace: ns, dataDir, fleet: false });
    expect(refused.holder.current()).toBeUndefined();
    expect(refused.alerts).toEqual([expect.objectContaining({ kind: "config_signature_rejected", source: "disk", reason: "content does not match the signed hash" })]);
    expect(refused.sub.status()).toMatchObject({ version: null, stale: true });
  });

  it("without any signed snapshot a gateway compiles from PostgreSQL, and compiles a version nobody publishes after the grace period", async () => {
    await prisma.configSnapshot.deleteMany();
    const hash = await createKey();
    const g = await gateway({ prisma, nodeName: "gw-p", pollIntervalMs: 100, compileGraceMs: 600 });
    const committed = (await prisma.configState.findUniqueOrThrow({ where: { id: 1 } })).version.toString();
    expect(g.sub.status()).toMatchObject({ version: committed, source: "compiled", stale: false });

    const started = Date.now();
    const v2 = (await change((tx) => tx.virtualKey.update({ where: { keyHash: hash }, data: { status: "disabled" } }))).toString();
    await expect.poll(() => g.holder.current()?.version, { timeout: 10_000 }).toBe(v2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(600);
    expect(g.holder.current()!.keys[hash]!.status).toBe("disabled");
    expect(g.sub.status().source).toBe("compiled");

    // Signed snapshots, once stored, are preferred to compiling: at start, and at each poll.
    await g.sub.stop();
    await createKey();
    const v3 = await publishConfig({ prisma, signingKey: signing.priv });
    const g2 = await gateway({ prisma, nodeName: "gw-q", pollIntervalMs: 100 });
    expect(g2.sub.status()).toMatchObject({ version: v3.version, source: "database", hash: v3.hash });
    await createKey();
    const v4 = await publishConfig({ prisma, signingKey: signing.priv });
    await expect.poll(() => g2.holder.current()?.version, { timeout: 10_000 }).toBe(v4.version);
    expect(g2.sub.status()).toMatchObject({ source: "database", hash: v4.hash, stale: false });
  });

  it("one version, one hash: publishing again reuses the stored snapshot; a racing store of another build keeps the first", async () => {
    await createKey();
    const first = await publishConfig({ prisma, signingKey: signing.priv, now: () => new Date("2030-01-01T00:00:00Z") });
    const again = await publishConfig({ prisma, signingKey: signing.priv, now: () => new Date("2031-01-01T00:00:00Z") });
    expect(again).toMatchObject({ version: first.version, hash: first.hash });
    const stored = (await loadSignedSnapshot(prisma, first.version))!;
    const otherBuild = signSnapshot({ ...(JSON.parse(stored.data.toString()) as ConfigSnapshot), compiledAt: "2032-01-01T00:00:00.000Z" }, signing.priv);
    expect(otherBuild.hash).not.toBe(first.hash);
    expect((await storeSignedSnapshot(prisma, otherBuild, new Date())).hash).toBe(first.hash);
    // Re-signed only when the stored row is from another (rotated-out) key.
    const rotated = keyPair();
    const resigned = signSnapshot(JSON.parse(stored.data.toString()) as ConfigSnapshot, rotated.priv);
    expect(await storeSignedSnapshot(prisma, resigned, new Date())).toMatchObject({ keyId: resigned.keyId, hash: first.hash });
    expect((await loadSignedSnapshot(prisma, first.version))!.keyId).toBe(resigned.keyId);
  });
});

import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ConfigSnapshot } from "@portcullis/core";
import { afterEach, describe, expect, it } from "vitest";
import { signAnnouncement } from "./announcement";
import { busNames, type Bus } from "./bus";
import { diffSnapshots } from "./delta";
import { decodeSignedSnapshot, encodeSignedSnapshot } from "./envelope";
import { createConfigHolder } from "./holder";
import { createMemoryBus } from "./memory-bus";
import { announceSnapshot } from "./publisher";
import { signedCachePath } from "./signed-cache";
import { generateConfigSigningKey, parseConfigPublicKey, parseConfigSigningKey, serializeSnapshot, signSnapshot } from "./signing";
import { startConfigSubscriber, type ConfigAlert, type ConfigSubscriber } from "./subscriber";
import { fakeSnapshot, mutateSnapshot, seededRandom } from "./test-fixtures";

const pair = () => {
  const k = generateConfigSigningKey();
  return { priv: parseConfigSigningKey(k.privateKeyPem), pub: parseConfigPublicKey(k.publicKeyPem) };
};
const trusted = pair();
const names = busNames();

/** Publishes `next` the way publishConfig's bus half does, signed with `key`. */
async function publish(bus: Bus, next: ConfigSnapshot, previous?: ConfigSnapshot, key = trusted.priv) {
  const prev = previous && { version: previous.version, hash: serializeSnapshot(previous).hash, snapshot: previous };
  await announceSnapshot({ bus, signingKey: key, signed: signSnapshot(next, key), snapshot: next, previous: prev });
}

const failingBus = (): Bus => {
  const fail = async () => {
    throw new Error("connect ECONNREFUSED");
  };
  return { kind: "redis", publish: fail, subscribe: fail, get: fail, set: fail, keys: fail, ping: fail, close: async () => {} };
};

const running: ConfigSubscriber[] = [];
afterEach(async () => {
  for (const s of running.splice(0)) await s.stop();
});

async function start(bus: Bus, dataDir?: string, extra: { pollIntervalMs?: number; catchUpGraceMs?: number } = {}) {
  const holder = createConfigHolder<ConfigSnapshot>();
  const swaps: string[] = [];
  holder.onSwap((s) => swaps.push(s.version));
  const alerts: ConfigAlert[] = [];
  const sub = await startConfigSubscriber({
    bus, holder, publicKeys: [trusted.pub], nodeName: "gw-test", dataDir, pollIntervalMs: extra.pollIntervalMs ?? 60_000,
    catchUpGraceMs: extra.catchUpGraceMs, onAlert: (a) => alerts.push(a), fleet: false,
  });
  running.push(sub);
  return { holder, swaps, alerts, sub };
}

const rng = seededRandom(11);
const v1 = fakeSnapshot(rng, 1, 200);
const activeHash = Object.keys(v1.keys).find((h) => v1.keys[h]!.status === "active")!;
const v2 = structuredClone(v1);
v2.version = "2";
v2.keys[activeHash]!.status = "revoked";
const v3 = mutateSnapshot(rng, v2, 3, 5);

describe("startConfigSubscriber (in-process bus)", () => {
  it("starts from the bus, applies an announced delta and keeps a verifiable disk copy", async () => {
    const bus = createMemoryBus();
    await publish(bus, v1);
    const dir = mkdtempSync(join(tmpdir(), "pc-sub-"));
    const { holder, swaps, sub } = await start(bus, dir);
    expect(holder.current()?.version).toBe("1");
    await publish(bus, v2, v1);
    await expect.poll(() => holder.current()?.version).toBe("2");
    expect(holder.current()!.keys[activeHash]!.status).toBe("revoked");
    expect(holder.current()).toEqual(v2);
    expect(swaps).toEqual(["1", "2"]);
    expect(sub.status()).toMatchObject({ version: "2", source: "bus", stale: false, lastError: null });
    await sub.stop();

    // A cold start on the same directory with no store answering: the disk copy, labelled as such.
    const cold = await start(failingBus(), dir);
    expect(cold.holder.current()).toEqual(v2);
    expect(cold.sub.status()).toMatchObject({ version: "2", source: "disk", stale: true, detail: "serving last good configuration from disk, v2 (Redis and PostgreSQL unreachable)" });
  });

  it("a missed delta (v3 announced while at v1) leads to a full load of v3", async () => {
    const bus = createMemoryBus();
    await publish(bus, v1);
    const { holder, swaps } = await start(bus);
    const gets: string[] = [];
    const get = bus.get.bind(bus);
    bus.get = async (key) => (gets.push(key), get(key));
    await publish(createMemoryBus(), v2, v1); // v2 went elsewhere: this gateway never hears of it
    await publish(bus, v3, v2);
    await expect.poll(() => holder.current()?.version).toBe("3");
    expect(holder.current()).toEqual(v3);
    expect(swaps).toEqual(["1", "3"]);
    expect(gets).toContain(names.keys.snapshot(3));
  });

  it("holding another build of the base version (compiled locally), it loads in full instead of raising a false alarm", async () => {
    const bus = createMemoryBus();
    await publish(bus, { ...v1, compiledAt: "2030-01-01T00:00:00.000Z" }); // same version, another compile
    const { holder, swaps, alerts } = await start(bus);
    await publish(bus, v2, v1);
    await expect.poll(() => holder.current()?.version).toBe("2");
    expect(holder.current()).toEqual(v2);
    expect(swaps).toEqual(["1", "2"]);
    expect(alerts).toEqual([]);
  });

  it("refuses a snapshot signed by another key: keeps v1, raises an alert", async () => {
    const bus = createMemoryBus();
    await publish(bus, v1);
    const { holder, swaps, alerts, sub } = await start(bus);
    await publish(bus, v2, v1, pair().priv);
    await expect.poll(() => alerts.length).toBeGreaterThanOrEqual(2);
    expect(alerts.every((a) => a.kind === "config_signature_rejected" && a.version === "2")).toBe(true);
    expect(alerts.map((a) => a.reason).join(" ")).toMatch(/untrusted key/);
    expect(holder.current()?.version).toBe("1");
    expect(swaps).toEqual(["1"]);
    expect(sub.status()).toMatchObject({ version: "1", lastError: expect.stringContaining("rejected") });

    // The next genuine version still gets through (prevVersion 2 is a gap from 1: full load).
    await publish(bus, v3, v2);
    await expect.poll(() => holder.current()?.version).toBe("3");
  });

  it("refuses content altered after signing: a tampered delta and tampered stored snapshots", async () => {
    const bus = createMemoryBus();
    await publish(bus, v1);
    const { holder, alerts, sub } = await start(bus);
    // Genuine signatures, altered content: the revocation undone in the delta and in the stored copies.
    const signed = signSnapshot(v2, trusted.priv);
    const altered = encodeSignedSnapshot({ ...signed, data: Buffer.from(signed.data.toString().replace('"revoked"', '"active"')) });
    await bus.set(names.keys.snapshot(2), altered);
    await bus.set(names.keys.latestSnapshot, altered);
    await bus.set(names.keys.latestVersion, "2");
    const delta = diffSnapshots(v1, v2);
    delta.records.keys!.upsert[activeHash]!.status = "active";
    const announcement = signAnnouncement(
      { version: "2", prevVersion: "1", prevHash: serializeSnapshot(v1).hash, hash: signed.hash, keyId: signed.keyId, snapshotSignature: signed.signature, delta },
      trusted.priv,
    );
    await bus.publish(names.channels.config, JSON.stringify(announcement));
    // snapshot:2 and latest are refused alike: one alert for both (a refusal is alerted once).
    await expect.poll(() => alerts.map((a) => `${a.source}: ${a.reason}`)).toEqual([
      "bus: snapshot after the delta does not match the signed hash",
      "bus: content does not match the signed hash",
    ]);
    await expect.poll(() => sub.status().lastError).toMatch(/rejected: content does not match the signed hash/);
    expect(holder.current()).toEqual(v1);
  });

  it("gets a change whose snapshot could not be stored on the bus: the announcement still goes out", async () => {
    const bus = createMemoryBus();
    await publish(bus, v1);
    const { holder } = await start(bus);
    const realSet = bus.set.bind(bus);
    bus.set = async () => {
      throw new Error("Command timed out");
    };
    const sent = await announceSnapshot({
      bus, signingKey: trusted.priv, signed: signSnapshot(v2, trusted.priv), snapshot: v2,
      previous: { version: "1", hash: serializeSnapshot(v1).hash, snapshot: v1 },
    });
    expect(sent.storeError).toBe("Command timed out");
    await expect.poll(() => holder.current()?.version).toBe("2");
    bus.set = realSet;
  });

  it("catches up on a lost announcement at the next poll", async () => {
    const bus = createMemoryBus();
    await publish(bus, v1);
    const { holder, sub } = await start(bus, undefined, { catchUpGraceMs: 0 });
    const other = createMemoryBus();
    await publish(other, v2, v1);
    // Only the stored keys reach this bus; the announcement is lost.
    for (const key of [names.keys.snapshot(2), names.keys.latestSnapshot, names.keys.latestVersion]) await bus.set(key, (await other.get(key))!);
    expect(holder.current()?.version).toBe("1");
    await sub.refresh();
    expect(holder.current()?.version).toBe("2");
    expect(sub.status()).toMatchObject({ version: "2", stale: false });
  });

  it("refuses a tampered disk cache on a cold start and says it has no configuration", async () => {
    const bus = createMemoryBus();
    await publish(bus, v1);
    const dir = mkdtempSync(join(tmpdir(), "pc-sub-"));
    const first = await start(bus, dir);
    await first.sub.stop();
    const path = signedCachePath(dir);
    const cached = decodeSignedSnapshot(readFileSync(path));
    writeFileSync(path, encodeSignedSnapshot({ ...cached, data: Buffer.from(cached.data.toString().replace('"revoked"', '"active"')) }));
    const cold = await start(failingBus(), dir);
    expect(cold.holder.current()).toBeUndefined();
    expect(cold.alerts).toEqual([expect.objectContaining({ kind: "config_signature_rejected", source: "disk", version: "1" })]);
    expect(cold.sub.status()).toMatchObject({ version: null, stale: true, detail: expect.stringMatching(/^no configuration loaded/) });
  });
});

import { createPublicKey, type KeyObject } from "node:crypto";
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import type { ConfigSnapshot } from "@portcullis/core";
import { readConfigVersion, type PrismaClient } from "@portcullis/db";
import { signAnnouncement } from "./announcement";
import { busNames, type Bus } from "./bus";
import { serializeDataChunked } from "./chunked-hash";
import { createIncrementalCompiler } from "./compile";
import { diffSnapshots, diffSnapshotsKnownKeys, type SnapshotDelta } from "./delta";
import { encodeSignedSnapshot } from "./envelope";
import { applyDeltaHashed, buildHashTreeAsync, type HashedSnapshot } from "./hash-tree";
import { checkSnapshotSignature, configKeyId, signSnapshotHash, type SignedSnapshot } from "./signing";
import { latestStoredVersion, loadSignedSnapshot, loadSnapshotHeader, pruneSignedSnapshots, storeSignedSnapshot } from "./snapshot-store";

const gzipAsync = promisify(gzip);

export interface PublishConfigOptions {
  prisma: PrismaClient;
  /** Absent in embedded mode without Redis: the snapshot is still stored for the gateway's poller. */
  bus?: Bus;
  signingKey: KeyObject;
  /** Ship a delta against the previous stored snapshot (default true). */
  delta?: boolean;
  namespace?: string;
  /** TTL of the versioned snapshot key on the bus (default 1 h; `latest` has none). */
  snapshotTtlSeconds?: number;
  /** Rows kept in config_snapshots (default 20). */
  keepSnapshots?: number;
  /** A larger delta is not sent; gateways then load the full snapshot (default 256 KiB). */
  maxDeltaBytes?: number;
  now?: () => Date;
  /** Wall time of each phase of each publish (benchmarks, diagnostics). */
  onPhase?: (phase: PublishPhase, ms: number, version: string) => void;
}

export type PublishPhase = "compile" | "diff" | "hash" | "sign" | "announce" | "serialize" | "store-db" | "store-bus";

export interface PublishConfigResult {
  version: string;
  prevVersion: string | null;
  hash: string;
  /** Bytes of the delta sent, or null when none was (no previous snapshot, or too large). */
  deltaBytes: number | null;
  /** Whether the announcement went out on the bus. */
  announced: boolean;
  /** A bus failure: nothing announced, or announced without the snapshot stored on the bus. */
  busError?: string;
}

export interface PreviousSnapshot {
  version: string;
  hash: string;
  snapshot: ConfigSnapshot;
}

export interface ConfigPublisher {
  /** Publishes the configuration at the current database version. */
  publish(): Promise<PublishConfigResult>;
}

type Published = PreviousSnapshot & HashedSnapshot;

/** What the slow half of a publish stores: the full snapshot, for gateways that load it whole. */
interface StoreJob {
  version: string;
  hash: string;
  signature: string;
  snapshot: ConfigSnapshot;
  compiledAt: Date;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Publishes the configuration after each commit. The fast half, one publish at a time:
 * compile at the current version (a long-lived publisher reads only the keys that changed),
 * diff against what it last published, re-hash the touched buckets of the hash tree, sign
 * `version|root` and announce the signed delta. The slow half stores the full snapshot
 * (PostgreSQL, then the bus's versioned and `latest` keys) after the announcement, off the
 * announce path; stores run one at a time, and one waiting is replaced by a newer one. Without
 * a delta to send (first publish, a delta too large) the snapshot is stored before it is
 * announced, since gateways must then load it. A gateway that misses a delta loads the full
 * snapshot once stored (its poll retries). The database row must be stored (publish rejects
 * otherwise); a bus failure is reported, not thrown, because gateways catch up from the
 * database. publish() resolves once its version, or a newer one, is stored.
 */
export function createConfigPublisher(opts: PublishConfigOptions): ConfigPublisher {
  const { prisma, signingKey, bus } = opts;
  const publicKey = createPublicKey(signingKey);
  const keyId = configKeyId(signingKey);
  const names = busNames(opts.namespace);
  const compiler = createIncrementalCompiler(prisma);
  let last: Published | undefined;
  // Whether last's keys are those of the compiler's latest compile (then its changes name the only keys to compare).
  let lastFromCompiler = false;
  const timed = async <T>(phase: PublishPhase, version: string, f: () => T | Promise<T>): Promise<T> => {
    const started = performance.now();
    const result = await f();
    opts.onPhase?.(phase, performance.now() - started, version);
    return result;
  };

  const storeOne = async (job: StoreJob): Promise<string | undefined> => {
    const data = await timed("serialize", job.version, () => serializeDataChunked(job.snapshot));
    const signed: SignedSnapshot = { version: job.version, hash: job.hash, keyId, signature: job.signature, data };
    await timed("store-db", job.version, () => storeSignedSnapshot(prisma, signed, job.compiledAt, publicKey));
    await pruneSignedSnapshots(prisma, opts.keepSnapshots ?? 20);
    if (!bus) return undefined;
    try {
      await timed("store-bus", job.version, async () => storeOnBus(bus, names, signed, await gzipAsync(encodeSignedSnapshot(signed, { gzip: false }), { level: 1 }), opts.snapshotTtlSeconds));
      return undefined;
    } catch (e) {
      return message(e);
    }
  };
  const store = createStoreQueue(storeOne);

  /** The snapshot gateways most likely hold: what this process last published, or the newest stored row. */
  const previousFor = async (version: string): Promise<{ prevVersion: bigint | undefined; previous: PreviousSnapshot | undefined }> => {
    const stored = await latestStoredVersion(prisma, version);
    const ours = last && BigInt(last.version) < BigInt(version) ? BigInt(last.version) : undefined;
    const prevVersion = ours !== undefined && (stored === undefined || ours >= stored) ? ours : stored;
    if (prevVersion === undefined || opts.delta === false) return { prevVersion, previous: undefined };
    if (ours === prevVersion) return { prevVersion, previous: last };
    // Our own table: parsed without verification, since gateways check the result's hash anyway.
    const row = await loadSignedSnapshot(prisma, prevVersion);
    return { prevVersion, previous: row && { version: row.version, hash: row.hash, snapshot: JSON.parse(row.data.toString("utf8")) as ConfigSnapshot } };
  };

  const publishNow = async (): Promise<{ result: PublishConfigResult; stored: Promise<string | undefined> }> => {
    const now = opts.now?.() ?? new Date();
    const dbVersion = await readConfigVersion(prisma);
    const existing = await loadSnapshotHeader(prisma, dbVersion);
    // Already stored and signed by us (a retry, or another publisher first): publish that row, so one version has one hash.
    if (existing && !checkSnapshotSignature(existing, [publicKey])) return publishStored(dbVersion);

    // Cleared until this publish completes: a failure after the compile leaves last behind the compiler.
    const lastMatchesCompiler = lastFromCompiler;
    lastFromCompiler = false;
    const { snapshot: compiled, keyChanges } = await timed("compile", dbVersion.toString(), () => compiler.compile(now));
    const version = compiled.version;
    const { prevVersion, previous } = await previousFor(version);
    const base = previous && previous === last ? last : undefined;
    const delta = previous
      ? await timed("diff", version, () =>
        base && lastMatchesCompiler && keyChanges ? diffSnapshotsKnownKeys(base.snapshot, compiled, keyChanges) : diffSnapshots(previous.snapshot, compiled))
      : null;
    // From what we last published: only the touched buckets are hashed. Otherwise the whole
    // tree, of a copy (the compiler reuses its keys record at the next compile).
    const next: HashedSnapshot = base && delta
      ? await timed("hash", version, () => applyDeltaHashed(base, delta))
      : await timed("hash", version, async () => {
        const snapshot = { ...compiled, keys: { ...compiled.keys } };
        return { snapshot, tree: await buildHashTreeAsync(snapshot) };
      });
    const hash = next.tree.root;
    const signature = await timed("sign", version, () => signSnapshotHash(version, hash, signingKey));
    let deltaBytes = delta ? Buffer.byteLength(JSON.stringify(delta)) : null;
    const sent: SnapshotDelta | null = deltaBytes !== null && deltaBytes <= (opts.maxDeltaBytes ?? 256 * 1024) ? delta : null;
    if (!sent) deltaBytes = null;
    last = { version, hash, snapshot: next.snapshot, tree: next.tree };
    lastFromCompiler = true;
    const result: PublishConfigResult = { version, prevVersion: prevVersion?.toString() ?? null, hash, deltaBytes, announced: false };
    const job: StoreJob = { version, hash, signature, snapshot: next.snapshot, compiledAt: new Date(compiled.compiledAt) };
    const announce = async () => {
      if (!bus) return;
      try {
        await timed("announce", version, () =>
          bus.publish(names.channels.config, JSON.stringify(signAnnouncement(
            { version, prevVersion: previous?.version ?? null, prevHash: previous?.hash ?? null, hash, keyId, snapshotSignature: signature, delta: sent },
            signingKey,
          ))));
        result.announced = true;
      } catch (e) {
        result.busError = message(e);
      }
    };
    if (sent) {
      // The fast path: gateways apply the delta while the full snapshot is being stored. The
      // announcement is written first (before the store's serialization holds the event loop),
      // and the store does not wait for its answer: with Redis down, gateways polling
      // PostgreSQL find the snapshot without waiting for the bus to time out.
      const announced = announce();
      const stored = store(job);
      await announced;
      return { result, stored };
    }
    // No delta: gateways must load the snapshot, so it is stored before it is announced.
    const storeError = await store(job);
    await announce();
    return { result, stored: Promise.resolve(storeError) };
  };

  /** The stored row of this version, published as it is (the store already holds it). */
  const publishStored = async (version: bigint): Promise<{ result: PublishConfigResult; stored: Promise<string | undefined> }> => {
    const signed = (await loadSignedSnapshot(prisma, version))!;
    const snapshot = JSON.parse(signed.data.toString("utf8")) as ConfigSnapshot;
    const { prevVersion, previous } = await previousFor(signed.version);
    last = { version: signed.version, hash: signed.hash, snapshot, tree: await buildHashTreeAsync(snapshot) };
    lastFromCompiler = false;
    const result: PublishConfigResult = { version: signed.version, prevVersion: prevVersion?.toString() ?? null, hash: signed.hash, deltaBytes: null, announced: false };
    if (!bus) return { result, stored: Promise.resolve(undefined) };
    try {
      const sent = await announceSnapshot({
        bus, signingKey, signed, snapshot, previous, delta: opts.delta, namespace: opts.namespace,
        snapshotTtlSeconds: opts.snapshotTtlSeconds, maxDeltaBytes: opts.maxDeltaBytes,
      });
      result.deltaBytes = sent.deltaBytes;
      result.announced = true;
      if (sent.storeError) result.busError = `announced, but the snapshot is not on the bus: ${sent.storeError}`;
    } catch (e) {
      result.busError = message(e);
    }
    return { result, stored: Promise.resolve(undefined) };
  };

  // One fast half at a time: each diffs against what the previous one published.
  let chain: Promise<unknown> = Promise.resolve();
  return {
    async publish() {
      const run = chain.then(publishNow, publishNow);
      chain = run.catch(() => {});
      const { result, stored } = await run;
      const storeError = await stored;
      if (storeError) result.busError = result.announced ? `announced, but the snapshot is not on the bus: ${storeError}` : (result.busError ?? storeError);
      return result;
    },
  };
}

/**
 * Runs store jobs one at a time; a job still waiting when a newer one arrives is dropped, and
 * its callers are answered by the newer one's outcome (a gateway needs the newest snapshot;
 * an intermediate one is only a delta base, and a gateway without it loads the newest).
 */
function createStoreQueue(storeOne: (job: StoreJob) => Promise<string | undefined>): (job: StoreJob) => Promise<string | undefined> {
  let pending: StoreJob | undefined;
  let running: Promise<void> | undefined;
  let waiters: { version: bigint; resolve: (e: string | undefined) => void; reject: (e: unknown) => void }[] = [];
  const settle = (upTo: bigint, f: (w: (typeof waiters)[number]) => void) => {
    const done = waiters.filter((w) => w.version <= upTo);
    waiters = waiters.filter((w) => w.version > upTo);
    for (const w of done) f(w);
  };
  const drain = async () => {
    while (pending) {
      const job = pending;
      pending = undefined;
      const version = BigInt(job.version);
      try {
        const error = await storeOne(job);
        settle(version, (w) => w.resolve(error));
      } catch (e) {
        settle(version, (w) => w.reject(e));
      }
    }
    running = undefined;
  };
  return (job) =>
    new Promise<string | undefined>((resolve, reject) => {
      waiters.push({ version: BigInt(job.version), resolve, reject });
      if (!pending || BigInt(pending.version) < BigInt(job.version)) pending = job;
      running ??= drain();
    });
}

/** One-shot publish (the CLI after `apply`): see createConfigPublisher. */
export function publishConfig(opts: PublishConfigOptions): Promise<PublishConfigResult> {
  return createConfigPublisher(opts).publish();
}

export interface AnnounceSnapshotOptions {
  bus: Bus;
  signingKey: KeyObject;
  signed: SignedSnapshot;
  snapshot: ConfigSnapshot;
  /** The snapshot gateways most likely hold; the delta is computed against it. */
  previous?: PreviousSnapshot;
  delta?: boolean;
  namespace?: string;
  snapshotTtlSeconds?: number;
  maxDeltaBytes?: number;
}

/**
 * The bus half of publishing: the snapshot under its versioned key and `latest`, then the
 * announcement. A failure to store the snapshot is returned (the announcement still goes
 * out); a failure to announce is thrown.
 */
export async function announceSnapshot(opts: AnnounceSnapshotOptions): Promise<{ deltaBytes: number | null; storeError?: string }> {
  const { bus, signed } = opts;
  const names = busNames(opts.namespace);
  let delta: SnapshotDelta | null = null;
  let deltaBytes: number | null = null;
  if (opts.previous && opts.delta !== false) {
    delta = diffSnapshots(opts.previous.snapshot, opts.snapshot);
    deltaBytes = Buffer.byteLength(JSON.stringify(delta));
    if (deltaBytes > (opts.maxDeltaBytes ?? 256 * 1024)) {
      delta = null;
      deltaBytes = null;
    }
  }
  let storeError: unknown;
  try {
    await storeOnBus(bus, names, signed, encodeSignedSnapshot(signed), opts.snapshotTtlSeconds);
  } catch (e) {
    // Announced anyway: gateways apply the delta, or load the snapshot from PostgreSQL.
    storeError = e;
  }
  const announcement = signAnnouncement(
    {
      version: signed.version, prevVersion: opts.previous?.version ?? null, prevHash: opts.previous?.hash ?? null,
      hash: signed.hash, keyId: signed.keyId, snapshotSignature: signed.signature, delta,
    },
    opts.signingKey,
  );
  await bus.publish(names.channels.config, JSON.stringify(announcement));
  return { deltaBytes, ...(storeError === undefined ? {} : { storeError: storeError instanceof Error ? storeError.message : String(storeError) }) };
}

/** The snapshot under its versioned key, and under `latest` unless a newer version is there already. */
async function storeOnBus(bus: Bus, names: ReturnType<typeof busNames>, signed: SignedSnapshot, blob: Buffer, ttlSeconds?: number): Promise<void> {
  await bus.set(names.keys.snapshot(signed.version), blob, ttlSeconds ?? 3600);
  // A slower publisher of an older version must not move `latest` backwards.
  const latest = await bus.get(names.keys.latestVersion);
  if (!latest || BigInt(latest.toString()) <= BigInt(signed.version)) {
    await bus.set(names.keys.latestSnapshot, blob);
    await bus.set(names.keys.latestVersion, signed.version);
  }
}

import type { KeyObject } from "node:crypto";
import type { ConfigSnapshot } from "@portcullis/core";
import { readConfigVersion, type PrismaClient } from "@portcullis/db";
import { signAnnouncement } from "./announcement";
import { busNames, type Bus } from "./bus";
import { compileSnapshot } from "./compile";
import { diffSnapshots, type SnapshotDelta } from "./delta";
import { encodeSignedSnapshot } from "./envelope";
import { configKeyId, signSnapshot, type SignedSnapshot } from "./signing";
import { latestStoredVersion, loadSignedSnapshot, pruneSignedSnapshots, storeSignedSnapshot } from "./snapshot-store";

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
}

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

/**
 * Publishes the configuration after each commit: compiles it at the current version (or reuses
 * the row already stored for that version), signs it, stores it in config_snapshots, then puts
 * it on the bus and announces `{version, prevVersion, hash, delta}`. The database row is
 * written first and must succeed; a bus failure is reported, not thrown, because gateways
 * catch up from the database. A long-lived publisher (the console) remembers what it last
 * published, so the next delta needs no reload of the previous snapshot.
 */
export function createConfigPublisher(opts: PublishConfigOptions): ConfigPublisher {
  const { prisma, signingKey } = opts;
  let last: PreviousSnapshot | undefined;
  // One publish at a time: each diffs against what the previous one stored.
  let chain: Promise<unknown> = Promise.resolve();

  const publishNow = async (): Promise<PublishConfigResult> => {
    const { snapshot, signed } = await storedOrCompiled(prisma, signingKey, opts.now?.() ?? new Date());
    const prevVersion = await latestStoredVersion(prisma, signed.version);
    let previous: PreviousSnapshot | undefined;
    if (prevVersion !== undefined && opts.delta !== false) {
      if (last?.version === prevVersion.toString()) previous = last;
      else {
        // Our own table: parsed without verification, since gateways check the result's hash anyway.
        const row = await loadSignedSnapshot(prisma, prevVersion);
        if (row) previous = { version: row.version, hash: row.hash, snapshot: JSON.parse(row.data.toString("utf8")) as ConfigSnapshot };
      }
    }
    last = { version: signed.version, hash: signed.hash, snapshot };
    await pruneSignedSnapshots(prisma, opts.keepSnapshots ?? 20);
    const result: PublishConfigResult = {
      version: signed.version, prevVersion: prevVersion?.toString() ?? null, hash: signed.hash, deltaBytes: null, announced: false,
    };
    if (!opts.bus) return result;
    try {
      const sent = await announceSnapshot({
        bus: opts.bus, signingKey, signed, snapshot, previous, delta: opts.delta, namespace: opts.namespace,
        snapshotTtlSeconds: opts.snapshotTtlSeconds, maxDeltaBytes: opts.maxDeltaBytes,
      });
      result.deltaBytes = sent.deltaBytes;
      result.announced = true;
      if (sent.storeError) result.busError = `announced, but the snapshot is not on the bus: ${sent.storeError}`;
    } catch (e) {
      result.busError = e instanceof Error ? e.message : String(e);
    }
    return result;
  };

  return {
    publish() {
      const run = chain.then(publishNow, publishNow);
      chain = run.catch(() => {});
      return run;
    },
  };
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
  const blob = encodeSignedSnapshot(signed);
  let storeError: unknown;
  try {
    await bus.set(names.keys.snapshot(signed.version), blob, opts.snapshotTtlSeconds ?? 3600);
    // A slower publisher of an older version must not move `latest` backwards.
    const latest = await bus.get(names.keys.latestVersion);
    if (!latest || BigInt(latest.toString()) <= BigInt(signed.version)) {
      await bus.set(names.keys.latestSnapshot, blob);
      await bus.set(names.keys.latestVersion, signed.version);
    }
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

/** Publishing the same version twice (a retry) reuses the stored row instead of recompiling. */
async function storedOrCompiled(prisma: PrismaClient, key: KeyObject, now: Date): Promise<{ snapshot: ConfigSnapshot; signed: SignedSnapshot }> {
  const version = await readConfigVersion(prisma);
  const existing = await loadSignedSnapshot(prisma, version);
  if (existing && existing.keyId === configKeyId(key)) {
    return { snapshot: JSON.parse(existing.data.toString("utf8")) as ConfigSnapshot, signed: existing };
  }
  const compiled = await compileSnapshot(prisma, now);
  const signed = signSnapshot(compiled, key);
  const stored = await storeSignedSnapshot(prisma, signed, new Date(compiled.compiledAt));
  // Another publisher stored this version first: publish theirs, so one version has one hash.
  if (stored.hash !== signed.hash) return { snapshot: JSON.parse(stored.data.toString("utf8")) as ConfigSnapshot, signed: stored };
  return { snapshot: compiled, signed };
}

import type { KeyObject } from "node:crypto";
import type { ConfigSnapshot } from "@portcullis/core";
import { readConfigVersion, type PrismaClient } from "@portcullis/db";
import { parseAnnouncement, verifyAnnouncement, type ConfigAnnouncement } from "./announcement";
import { busNames, type Bus, type Unsubscribe } from "./bus";
import { serializeDataChunked } from "./chunked-hash";
import { createDiskWriter } from "./disk-writer";
import { startFleetReporter, type FleetReporter, type FleetReporterOptions } from "./fleet";
import { applyDeltaHashed, type HashTree } from "./hash-tree";
import type { ConfigHolder } from "./holder";
import { latestStoredVersion } from "./snapshot-store";
import {
  compileFromDatabase, isRejected, loadFromBus, loadFromDatabase, loadFromDisk,
  type LoadOutcome, type LoadedSnapshot, type Rejection, type SnapshotSource,
} from "./snapshot-sources";
import { describeConfigStatus, type ConfigSyncStatus } from "./sync-status";

export interface ConfigAlert {
  kind: "config_signature_rejected";
  version: string | null;
  source: SnapshotSource;
  reason: string;
}

export interface ConfigSubscriberOptions {
  /** Redis in the distributed setup, the in-process bus in embedded mode; absent = database only. */
  bus?: Bus;
  holder: ConfigHolder<ConfigSnapshot>;
  /** Trusted Ed25519 public keys (several during a key rotation). */
  publicKeys: readonly KeyObject[];
  nodeName: string;
  /** Where the last good snapshot is kept for a cold start; no disk copy when absent. */
  dataDir?: string;
  prisma?: PrismaClient;
  /** Checks of the bus's latest version and PostgreSQL's config_state (default 5 s). */
  pollIntervalMs?: number;
  /** With Redis up, how long a newer version may go unannounced before a full load (default one poll). */
  catchUpGraceMs?: number;
  /** How long a committed version may lack a signed snapshot before it is compiled locally (default max(3 polls, 15 s)). */
  compileGraceMs?: number;
  /** Fleet report period and TTL; false to not report. */
  fleet?: { intervalMs?: number; ttlSeconds?: number; extra?: FleetReporterOptions["extra"] } | false;
  namespace?: string;
  log?: (line: string) => void;
  onAlert?: (alert: ConfigAlert) => void;
  now?: () => number;
}

export interface ConfigSubscriber {
  status(): ConfigSyncStatus;
  /** Runs one poll now (tests, or an admin "sync now"). */
  refresh(): Promise<void>;
  stop(): Promise<void>;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Keeps a gateway's holder at the newest signed configuration. Start: the bus's latest
 * snapshot, else PostgreSQL's (or a compile when none was stored), else the disk cache.
 * Then: announced deltas applied in order; a gap, a bad signature or a hash mismatch leads
 * to a full load; a poll catches what pub/sub lost and carries on from PostgreSQL while
 * Redis is down. Anything unverified is refused and alerted; the last good version stays.
 */
export async function startConfigSubscriber(opts: ConfigSubscriberOptions): Promise<ConfigSubscriber> {
  const { bus, prisma, publicKeys } = opts;
  const names = busNames(opts.namespace);
  const now = opts.now ?? Date.now;
  const log = opts.log ?? (() => {});
  const pollIntervalMs = opts.pollIntervalMs ?? 5000;
  const catchUpGraceMs = opts.catchUpGraceMs ?? pollIntervalMs;
  const compileGraceMs = opts.compileGraceMs ?? Math.max(3 * pollIntervalMs, 15_000);
  const disk = opts.dataDir ? createDiskWriter(opts.dataDir, (e) => log(`could not write the configuration disk cache: ${message(e)}`)) : undefined;

  let current: { snapshot: ConfigSnapshot; hash: string; tree: HashTree; source: SnapshotSource; appliedAt: string } | undefined;
  let lastError: string | null = null;
  let latestKnown: bigint | undefined;
  let busOk: boolean | undefined;
  let dbOk: boolean | undefined;
  let confirmed = false;
  let behindSince: number | undefined;
  let stopped = false;
  let reporter: FleetReporter | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let rejections = 0;

  const version = () => (current ? BigInt(current.snapshot.version) : -1n);
  const know = (v: bigint) => {
    if (latestKnown === undefined || v > latestKnown) latestKnown = v;
  };
  const markBus = (ok: boolean, e?: unknown) => {
    if (!ok && busOk !== false) log(`Redis unreachable (${message(e)}): keeping v${current?.snapshot.version ?? "-"}${prisma ? ", polling PostgreSQL" : ""}`);
    if (!ok) lastError = `Redis: ${message(e)}`;
    busOk = ok;
  };
  const markDb = (ok: boolean, e?: unknown) => {
    if (!ok && dbOk !== false) log(`PostgreSQL unreachable (${message(e)})`);
    if (!ok) lastError = `PostgreSQL: ${message(e)}`;
    dbOk = ok;
  };
  const reachable = () => (bus !== undefined && busOk === true) || (prisma !== undefined && dbOk === true);

  // Every read or change of `current` runs here, one at a time, so versions apply in order.
  let queue: Promise<void> = Promise.resolve();
  const enqueue = (job: () => Promise<void>) => {
    const run = queue.then(job).catch((e: unknown) => {
      lastError = message(e);
      log(`configuration sync error: ${lastError}`);
    });
    queue = run;
    return run;
  };

  // A refused snapshot stays where it is (e.g. `latest` on Redis) and is met again at every poll:
  // logged and alerted once, not once per poll.
  const refused = new Set<string>();
  const reject = (r: Rejection) => {
    rejections++;
    lastError = `${r.source} v${r.version ?? "?"} rejected: ${r.reason}`;
    const seen = `${r.source}|${r.version}|${r.reason}`;
    if (refused.has(seen)) return;
    if (refused.size >= 256) refused.clear();
    refused.add(seen);
    log(`refused configuration from ${r.source} (v${r.version ?? "?"}): ${r.reason}; keeping v${current?.snapshot.version ?? "-"}`);
    opts.onAlert?.({ kind: "config_signature_rejected", version: r.version, source: r.source, reason: r.reason });
  };

  const apply = (loaded: LoadedSnapshot): boolean => {
    if (current && BigInt(loaded.snapshot.version) <= version()) return false;
    opts.holder.swap(loaded.snapshot);
    current = { snapshot: loaded.snapshot, hash: loaded.hash, tree: loaded.tree, source: loaded.source, appliedAt: new Date(now()).toISOString() };
    know(version());
    lastError = null;
    confirmed = loaded.source !== "disk";
    if (loaded.source !== "disk") {
      const { signed, snapshot } = loaded;
      if (signed?.data) disk?.write({ ...signed, data: signed.data });
      // Built from a delta: serialized for the disk copy later, off the apply path.
      else if (signed) disk?.write(async () => ({ ...signed, data: await serializeDataChunked(snapshot) }));
    }
    log(`configuration v${loaded.snapshot.version} applied (${loaded.source})`);
    void reporter?.reportNow();
    return true;
  };

  const take = (o: LoadOutcome) => {
    if (isRejected(o)) reject(o.rejected);
    else if (o) apply(o);
  };

  /** The full snapshot at `target` (or the newest there is): the bus first, then PostgreSQL. */
  const fullLoad = async (target?: bigint) => {
    const done = () => target !== undefined && version() >= target;
    if (bus && busOk !== false) {
      try {
        if (target !== undefined) take(await loadFromBus(bus, names.keys.snapshot(target), publicKeys));
        if (!done()) {
          // The small version key first: no download of a snapshot we already hold.
          const latest = await bus.get(names.keys.latestVersion);
          if (latest === null || BigInt(latest.toString()) > version()) take(await loadFromBus(bus, names.keys.latestSnapshot, publicKeys));
        }
        markBus(true);
      } catch (e) {
        markBus(false, e);
      }
    }
    if (prisma && !done()) {
      try {
        if (target !== undefined) take(await loadFromDatabase(prisma, target.toString(), publicKeys));
        const stored = done() ? undefined : await latestStoredVersion(prisma);
        if (stored !== undefined && stored > version()) take(await loadFromDatabase(prisma, "latest", publicKeys));
        markDb(true);
      } catch (e) {
        markDb(false, e);
      }
    }
  };

  const deltaResult = (base: { snapshot: ConfigSnapshot; tree: HashTree }, a: ConfigAnnouncement): LoadedSnapshot | Rejection => {
    let next: { snapshot: ConfigSnapshot; tree: HashTree };
    try {
      // Only the buckets the delta touches are re-hashed; the rest of the tree is the base's.
      next = applyDeltaHashed(base, a.delta!);
    } catch (e) {
      return { version: a.version, source: "bus", reason: `delta does not apply: ${message(e)}` };
    }
    if (next.tree.root !== a.hash || next.snapshot.version !== a.version) {
      return { version: a.version, source: "bus", reason: "snapshot after the delta does not match the signed hash" };
    }
    return { snapshot: next.snapshot, hash: a.hash, tree: next.tree, source: "bus", signed: { version: a.version, hash: a.hash, keyId: a.keyId, signature: a.snapshotSignature } };
  };

  const onAnnouncement = (text: string) =>
    void enqueue(async () => {
      if (stopped) return;
      const a = parseAnnouncement(text);
      if (!a) return log("ignored a malformed configuration announcement");
      const v = BigInt(a.version);
      if (v <= version()) return;
      // A message came through, so Redis is back: let the full load below try it first.
      if (busOk === false) markBus(true);
      const bad = verifyAnnouncement(a, publicKeys);
      if (bad) reject({ version: a.version, source: "bus", reason: bad });
      else {
        know(v);
        if (a.delta && current && a.prevVersion === current.snapshot.version && a.prevHash === current.hash) {
          const result = deltaResult(current, a);
          if ("snapshot" in result) {
            apply(result);
            return;
          }
          reject(result);
        }
      }
      // A gap, a restart, no delta, or a refused message: load the whole snapshot, verified on its own.
      const rejectedBefore = rejections;
      await fullLoad(v);
      if (version() < v && rejections === rejectedBefore) retryFullLoad(v, 250);
    });

  /**
   * The publisher stores the full snapshot after announcing a delta, so a gateway that could
   * not use the delta may find nothing yet: it tries again, backing off up to the poll interval,
   * while it finds nothing (a refused snapshot is left to the poll, not retried into an alert storm).
   */
  const retryFullLoad = (target: bigint, delayMs: number) => {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(
      () =>
        void enqueue(async () => {
          if (stopped || version() >= target) return;
          const rejectedBefore = rejections;
          await fullLoad(target);
          if (version() < target && rejections === rejectedBefore) retryFullLoad(target, Math.min(delayMs * 2, pollIntervalMs));
        }),
      delayMs,
    );
    retryTimer.unref();
  };

  const tick = async () => {
    if (stopped) return;
    let reconnected = false;
    // Both stores at once: while Redis is down its check takes up to a command timeout, and
    // PostgreSQL is then the path by which changes arrive.
    const [busVersion, dbVersion] = await Promise.all([
      (async () => {
        if (!bus) return undefined;
        try {
          await bus.ping();
          const latest = await bus.get(names.keys.latestVersion);
          reconnected = busOk === false;
          if (reconnected) log("Redis reachable again: catching up");
          markBus(true);
          return latest ? BigInt(latest.toString()) : undefined;
        } catch (e) {
          markBus(false, e);
          return undefined;
        }
      })(),
      (async () => {
        if (!prisma) return undefined;
        try {
          const v = await readConfigVersion(prisma);
          markDb(true);
          return v;
        } catch (e) {
          markDb(false, e);
          return undefined;
        }
      })(),
    ]);
    const target = busVersion === undefined || (dbVersion !== undefined && dbVersion > busVersion) ? dbVersion : busVersion;
    if (target === undefined) return;
    know(target);
    if (target <= version()) {
      behindSince = undefined;
      confirmed = true;
      if (reachable() && (!bus || busOk) && (!prisma || dbOk)) lastError = null;
      return;
    }
    behindSince ??= now();
    const waited = now() - behindSince;
    // With Redis up the announcement normally comes first; give it a moment before loading in full.
    if (bus && busOk && !reconnected && waited < catchUpGraceMs) return;
    await fullLoad(target);
    if (prisma && dbVersion !== undefined && dbVersion > version() && waited >= compileGraceMs) {
      log(`v${dbVersion} has had no signed snapshot for ${waited} ms: compiling it from PostgreSQL`);
      apply(await compileFromDatabase(prisma));
    }
    if (version() < target) lastError ??= `v${target} committed, no loadable snapshot yet`;
  };

  const start = async () => {
    await fullLoad();
    if (!current && prisma && dbOk !== false) {
      try {
        // Nothing signed anywhere yet (first start, or nobody published): PostgreSQL is the truth.
        if ((await latestStoredVersion(prisma)) === undefined) apply(await compileFromDatabase(prisma));
      } catch (e) {
        markDb(false, e);
      }
    }
    if (!current && opts.dataDir) take(await loadFromDisk(opts.dataDir, publicKeys));
    if (!current) lastError ??= "no configuration source answered and there is no usable disk cache";
  };

  // Subscribed before the first load, so nothing announced meanwhile is missed (it queues behind the load).
  let unsubscribe: Unsubscribe | undefined;
  const subscribed = bus
    ? bus.subscribe(names.channels.config, onAnnouncement).then(
        (u) => (stopped ? void u() : (unsubscribe = u)),
        (e: unknown) => markBus(false, e),
      )
    : Promise.resolve();
  await enqueue(start);
  // With Redis down the subscription completes whenever it comes back; start does not wait for that.
  if (busOk !== false) {
    let waitTimer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([subscribed, new Promise((resolve) => (waitTimer = setTimeout(resolve, 2000)))]);
    clearTimeout(waitTimer);
  }
  let ticking: Promise<void> | undefined;
  const refresh = () => (ticking ??= enqueue(tick).finally(() => (ticking = undefined)));
  const timer = setInterval(() => void refresh(), pollIntervalMs);
  timer.unref();

  const status = (): ConfigSyncStatus => {
    const behind = current !== undefined && latestKnown !== undefined && latestKnown > version();
    const facts = {
      version: current?.snapshot.version ?? null, source: current?.source ?? null, latestKnown: latestKnown?.toString() ?? null,
      behind, reachable: reachable(), confirmed, lastError,
    };
    return {
      version: facts.version, hash: current?.hash ?? null, appliedAt: current?.appliedAt ?? null, source: facts.source,
      stale: !current || behind || !facts.reachable || (current.source === "disk" && !confirmed),
      lastError, latestKnownVersion: facts.latestKnown, detail: describeConfigStatus(facts),
    };
  };

  if (bus && opts.fleet !== false) {
    reporter = startFleetReporter({
      bus, nodeName: opts.nodeName, namespace: opts.namespace, intervalMs: opts.fleet?.intervalMs, ttlSeconds: opts.fleet?.ttlSeconds, extra: opts.fleet?.extra,
      state: () => {
        const s = status();
        return { version: s.version, hash: s.hash, appliedAt: s.appliedAt, source: s.source, stale: s.stale };
      },
    });
  }

  return {
    status,
    refresh,
    async stop() {
      stopped = true;
      clearInterval(timer);
      clearTimeout(retryTimer);
      reporter?.stop();
      await unsubscribe?.();
      await queue;
      await disk?.flush();
    },
  };
}

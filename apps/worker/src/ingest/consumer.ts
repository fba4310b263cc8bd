import { hostname } from "node:os";
import { Redis } from "ioredis";
import { EVENTS_STREAM } from "@portcullis/events";
import type { Ingestor, RejectedEvent } from "./ingestor";
import { entriesOfReadReply, parseEntries, readBacklog, type IngestBacklog, type StreamEntry } from "./stream";

export interface IngestConsumerOptions {
  redis: string;
  ingestor: Ingestor;
  stream?: string;
  /** Consumer group shared by every worker. Default "pc-ingest". */
  group?: string;
  /** Stable per worker, so a restarted worker first finishes its own pending entries. */
  consumer?: string;
  /** Entries per read. Default 2000. */
  batchSize?: number;
  blockMs?: number;
  /** Entries pending this long on any consumer (e.g. a crashed one) are claimed. Default 60 s. */
  claimIdleMs?: number;
  /** How often to look for such entries. Default 15 s. */
  claimEveryMs?: number;
  retryMinMs?: number;
  retryMaxMs?: number;
  log?: (line: string) => void;
  /** Fault injection for tests: runs after the database commit and before XACK. */
  beforeAck?: (entryIds: string[]) => void | Promise<void>;
}

export interface IngestConsumerStats {
  batches: number;
  entries: number;
  inserted: number;
  appended: number;
  rejected: number;
  claimed: number;
  /** Consecutive failed attempts at the current batch (database or Redis down). */
  failing: number;
  lastError?: string;
}

export interface IngestConsumer {
  backlog(): Promise<IngestBacklog>;
  stats(): IngestConsumerStats;
  /** Finishes (or abandons, unacked) the batch in hand and stops reading. */
  stop(): Promise<void>;
}

/**
 * Drains `pc:events` through a consumer group into PostgreSQL. An entry is XACKed only after
 * the transaction that stored it committed; until then it stays pending and is redelivered to
 * this consumer at restart, or claimed by another one after `claimIdleMs`. Redelivery is safe
 * because storing is idempotent by event id. While PostgreSQL or Redis is down the batch in hand
 * is retried with exponential backoff and nothing new is read.
 */
export async function startIngestConsumer(opts: IngestConsumerOptions): Promise<IngestConsumer> {
  const stream = opts.stream ?? EVENTS_STREAM;
  const group = opts.group ?? "pc-ingest";
  const consumer = opts.consumer ?? `worker-${hostname()}`;
  const batchSize = opts.batchSize ?? 2000;
  const blockMs = opts.blockMs ?? 1000;
  const claimIdleMs = opts.claimIdleMs ?? 60_000;
  const claimEveryMs = opts.claimEveryMs ?? 15_000;
  const retryMin = opts.retryMinMs ?? 200;
  const retryMax = opts.retryMaxMs ?? 10_000;
  const log = opts.log ?? (() => {});
  // Reads (which block) and writes use separate connections, so stop() can cut a blocked
  // XREADGROUP short without losing the XACK of a batch in hand.
  const reader = new Redis(opts.redis, { maxRetriesPerRequest: 1, connectTimeout: 2000 });
  const redis = new Redis(opts.redis, { maxRetriesPerRequest: 1, connectTimeout: 2000, commandTimeout: 5000 });
  reader.on("error", () => {});
  redis.on("error", () => {});

  const stats: IngestConsumerStats = { batches: 0, entries: 0, inserted: 0, appended: 0, rejected: 0, claimed: 0, failing: 0 };
  let stopping = false;
  let wake: (() => void) | undefined;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(t);
        resolve();
      };
    });

  const ensureGroup = async () => {
    try {
      // From the start of the stream: events emitted before any worker existed are kept.
      await redis.xgroup("CREATE", stream, group, "0", "MKSTREAM");
    } catch (e) {
      if (!String((e as Error).message).includes("BUSYGROUP")) throw e;
    }
  };

  const onRejected = async (rejected: RejectedEvent[]) => {
    stats.rejected += rejected.length;
    for (const r of rejected) log(`ingest: rejected event ${r.id ?? "(no id)"}: ${r.reason}`);
    // Kept (bounded) for inspection instead of vanishing with the XACK.
    const pipeline = redis.pipeline();
    for (const r of rejected) pipeline.lpush(`${stream}:rejected`, JSON.stringify({ at: new Date().toISOString(), ...r }));
    pipeline.ltrim(`${stream}:rejected`, 0, 9999);
    await pipeline.exec();
  };

  /** Stores then acks one batch, retrying until it succeeds or the consumer stops. */
  const handle = async (entries: StreamEntry[]) => {
    if (entries.length === 0) return;
    const ids = entries.map((e) => e.id);
    const { events, unreadable } = parseEntries(entries);
    for (;;) {
      try {
        const result = await opts.ingestor.ingest(events);
        if (unreadable.length > 0 || result.rejected.length > 0) await onRejected([...unreadable, ...result.rejected]);
        await opts.beforeAck?.(ids);
        await redis.xack(stream, group, ...ids);
        stats.batches++;
        stats.entries += entries.length;
        stats.inserted += result.requests.inserted;
        stats.appended += result.audit.appended;
        stats.failing = 0;
        return;
      } catch (e) {
        stats.failing++;
        stats.lastError = (e as Error).message;
        const delay = Math.min(retryMin * 2 ** (stats.failing - 1), retryMax);
        log(`ingest: batch of ${entries.length} failed (attempt ${stats.failing}), retrying in ${delay} ms: ${stats.lastError}`);
        if (stopping) return; // left pending: redelivered at restart
        await sleep(delay);
        if (stopping) return;
      }
    }
  };

  const read = async (id: string, block: boolean): Promise<StreamEntry[]> => {
    const args: (string | number)[] = ["GROUP", group, consumer, "COUNT", batchSize];
    if (block) args.push("BLOCK", blockMs);
    args.push("STREAMS", stream, id);
    return entriesOfReadReply(await reader.call("XREADGROUP", ...args));
  };

  const claim = async (): Promise<StreamEntry[]> => {
    const out: StreamEntry[] = [];
    let cursor = "0-0";
    do {
      const reply = (await reader.call("XAUTOCLAIM", stream, group, consumer, claimIdleMs, cursor, "COUNT", batchSize)) as [string, [string, string[] | null][], string[]?];
      cursor = reply[0];
      for (const [entryId, fields] of reply[1]) out.push({ id: entryId, fields });
      // Entries deleted from the stream (trimmed) while pending are dropped from the PEL by Redis 7.
    } while (cursor !== "0-0" && out.length < batchSize && !stopping);
    stats.claimed += out.length;
    return out;
  };

  const loop = async () => {
    let ownPending = "0";
    let nextClaim = Date.now() + claimEveryMs;
    let failures = 0;
    while (!stopping) {
      try {
        if (failures > 0 || ownPending === "0") await ensureGroup();
        let entries: StreamEntry[];
        if (ownPending !== ">") {
          // What this consumer read before a crash and never acked comes first.
          entries = await read(ownPending, false);
          ownPending = entries.length > 0 ? entries[entries.length - 1]!.id : ">";
        } else if (Date.now() >= nextClaim) {
          entries = await claim();
          if (entries.length < batchSize) nextClaim = Date.now() + claimEveryMs;
        } else entries = await read(">", true);
        failures = 0;
        await handle(entries);
      } catch (e) {
        failures++;
        stats.lastError = (e as Error).message;
        log(`ingest: reading ${stream} failed: ${stats.lastError}`);
        await sleep(Math.min(retryMin * 2 ** (failures - 1), retryMax));
      }
    }
  };

  await ensureGroup().catch((e: Error) => log(`ingest: cannot create consumer group yet: ${e.message}`));
  const running = loop();

  return {
    backlog: () => readBacklog(redis, stream, group),
    stats: () => ({ ...stats }),
    async stop() {
      stopping = true;
      wake?.();
      // Unblocks a pending XREADGROUP BLOCK at once.
      reader.disconnect();
      await running;
      redis.disconnect();
    },
  };
}

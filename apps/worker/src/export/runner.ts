import { hostname } from "node:os";
import { toExportRecord, type ExportRecord } from "@portcullis/audit";
import type { ExportSink, ExportStream, PrismaClient } from "@portcullis/db";
import { parseSinkConfig } from "./config";
import { acquireCursor, advanceCursor, failCursor, releaseCursor, type CursorLease } from "./cursor";
import { isPermanent, type ResolveSecret, type SinkClient } from "./sink";
import { createSinkClient } from "./sinks/index";

export interface ExportRunnerOptions {
  prisma: PrismaClient;
  /** Resolves secret references in sink configs. Default: none can be resolved. */
  resolveSecret?: ResolveSecret;
  /** Lease owner name; unique per worker process. */
  owner?: string;
  /** Poll period. Default 1 s. */
  intervalMs?: number;
  /** Cursor lease length; longer than one delivery can take. Default 60 s. */
  leaseMs?: number;
  /** Backoff after failures: min * 2^(failures-1), capped. Default 1 s .. 5 min. */
  retryMinMs?: number;
  retryMaxMs?: number;
  /** Batches per (sink, stream) per round, so one busy sink cannot starve the others. */
  maxBatchesPerRound?: number;
  /** Build clients (tests). */
  createClient?: (sink: ExportSink) => SinkClient;
  log?: (line: string) => void;
}

export interface ExportRunner {
  /** One round over every enabled sink and stream (the timer calls it too). */
  runOnce(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * At-least-once export of audit events and request logs to every enabled ExportSink. Each
 * (sink, stream) has a durable cursor (last delivered seq) that moves only after the sink
 * accepted the batch, under a lease so that one worker at a time exports it. Failures back off
 * exponentially; records the sink refuses as malformed are retried `maxAttempts` times, then
 * sent one by one and the refused ones dead-lettered, so the cursor moves on.
 */
export function startExportRunner(opts: ExportRunnerOptions): ExportRunner {
  const { prisma } = opts;
  const owner = opts.owner ?? `${hostname()}:${process.pid}`;
  const leaseMs = opts.leaseMs ?? 60_000;
  const retryMin = opts.retryMinMs ?? 1000;
  const retryMax = opts.retryMaxMs ?? 5 * 60_000;
  const maxBatches = opts.maxBatchesPerRound ?? 20;
  const log = opts.log ?? (() => {});
  const resolveSecret = opts.resolveSecret ?? (async (ref: string) => Promise.reject(new Error(`no secret resolver for ${ref}`)));
  const clients = new Map<string, { version: number; client: SinkClient }>();
  let stopped = false;
  let round: Promise<void> | undefined;

  const clientFor = async (sink: ExportSink): Promise<SinkClient> => {
    const cached = clients.get(sink.id);
    if (cached && cached.version === sink.updatedAt.getTime()) return cached.client;
    await cached?.client.close().catch(() => {});
    const client = opts.createClient ? opts.createClient(sink) : createSinkClient(sink.kind, sink.config, resolveSecret);
    clients.set(sink.id, { version: sink.updatedAt.getTime(), client });
    return client;
  };

  const readBatch = async (stream: ExportStream, after: bigint, take: number, includeBodies: boolean): Promise<ExportRecord[]> => {
    if (stream === "audit") {
      const rows = await prisma.auditEvent.findMany({ where: { seq: { gt: after } }, orderBy: { seq: "asc" }, take });
      return rows.map((r) => toExportRecord("audit", r));
    }
    const rows = await prisma.requestLog.findMany({
      where: { seq: { gt: after } },
      orderBy: { seq: "asc" },
      take,
      omit: includeBodies ? {} : { requestBody: true, responseBody: true },
    });
    return rows.map((r) => toExportRecord("requests", r));
  };

  const deadLetter = async (sink: ExportSink, stream: ExportStream, r: ExportRecord, error: string, attempts: number) => {
    await prisma.exportDeadLetter.create({
      data: { sinkId: sink.id, stream, recordSeq: BigInt(r.seq), recordId: r.id, payload: r as object, error: error.slice(0, 1000), attempts },
    });
    log(`export: ${sink.name}/${stream}: dead-lettered ${r.id} (seq ${r.seq}): ${error}`);
  };

  /** After maxAttempts of a refused batch: each record alone; the refused ones go to the dead letters. */
  const isolate = async (sink: ExportSink, client: SinkClient, lease: CursorLease, records: ExportRecord[], attempts: number): Promise<boolean> => {
    for (const r of records) {
      try {
        await client.send([r]);
      } catch (e) {
        if (!isPermanent(e)) throw e;
        await deadLetter(sink, lease.stream, r, (e as Error).message, attempts);
      }
      if (!(await advanceCursor(prisma, lease, owner, leaseMs, BigInt(r.seq), r.id))) return false;
    }
    return true;
  };

  const pump = async (sink: ExportSink, stream: ExportStream) => {
    let config;
    try {
      config = parseSinkConfig(sink.kind, sink.config);
    } catch (e) {
      log(`export: ${sink.name}: ${(e as Error).message}`);
      return;
    }
    const lease = await acquireCursor(prisma, sink.id, stream, owner, leaseMs, config.startFrom);
    if (!lease) return;
    let records: ExportRecord[] = [];
    try {
      const client = await clientFor(sink);
      for (let i = 0; i < maxBatches && !stopped; i++) {
        records = await readBatch(stream, lease.lastSeq, config.batchSize, config.includeBodies);
        if (records.length === 0) break;
        try {
          await client.send(records);
        } catch (e) {
          if (!isPermanent(e) || lease.failures + 1 < config.maxAttempts) throw e;
          if (!(await isolate(sink, client, lease, records, lease.failures + 1))) return;
          continue;
        }
        const last = records[records.length - 1]!;
        if (!(await advanceCursor(prisma, lease, owner, leaseMs, BigInt(last.seq), last.id))) return;
        if (records.length < config.batchSize) break;
      }
      await releaseCursor(prisma, lease, owner);
    } catch (e) {
      const delay = Math.min(retryMin * 2 ** lease.failures, retryMax);
      const message = (e as Error).message;
      log(`export: ${sink.name}/${stream}: ${records.length} record(s) failed (attempt ${lease.failures + 1}), retry in ${delay} ms: ${message}`);
      await failCursor(prisma, lease, owner, message, delay).catch(() => {});
    }
  };

  const runRound = async () => {
    const sinks = await prisma.exportSink.findMany({ where: { enabled: true } });
    for (const [id, c] of clients) {
      if (!sinks.some((s) => s.id === id)) {
        clients.delete(id);
        await c.client.close().catch(() => {});
      }
    }
    // Sinks in parallel (a slow one does not hold up the others), a sink's streams in turn.
    await Promise.all(sinks.map(async (sink) => {
      for (const stream of sink.streams) if (!stopped) await pump(sink, stream);
    }));
  };

  /** One round at a time per runner: a round still running is joined, not doubled. */
  const runOnce = (): Promise<void> => {
    if (!round) round = runRound().finally(() => (round = undefined));
    return round;
  };
  const timer = setInterval(() => {
    if (round || stopped) return;
    runOnce().catch((e: Error) => log(`export: ${e.message}`));
  }, opts.intervalMs ?? 1000);
  timer.unref();

  return {
    runOnce,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await round?.catch(() => {});
      for (const c of clients.values()) await c.client.close().catch(() => {});
      clients.clear();
    },
  };
}

import type { KeyObject } from "node:crypto";
import { probe, type DependencyStatus } from "@portcullis/core";
import type { PrismaClient } from "@portcullis/db";
import type { AlertEvent } from "@portcullis/events";
import { startCheckpointJob, type CheckpointJob } from "./audit/index";
import { readExportLag, startExportRunner, type ExportRunner, type ResolveSecret } from "./export/index";
import { createIngestor, startIngestConsumer, type IngestConsumer } from "./ingest/index";

export interface WorkerJobsOptions {
  prisma: PrismaClient;
  /** Drain `pc:events` from this Redis; without it events arrive through `ingest` (embedded). */
  redisUrl?: string;
  /** Signs audit checkpoints; without it no checkpoints are made (readiness says so). */
  signingKey?: KeyObject;
  checkpointIntervalMs?: number;
  /** Secret references in export sink configs. */
  resolveSecret?: ResolveSecret;
  /** Consumer name in the ingest group; stable per worker. */
  consumerName?: string;
  onAlert?: (alert: AlertEvent) => void;
  log?: (line: string) => void;
}

/** The worker's background jobs, started and stopped with it (see StartWorkerOptions.jobs). */
export interface WorkerJobs {
  /** Embedded mode: hand this to createEventEmitter({ deliver }). Throws when storing failed. */
  ingest(events: unknown[]): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  readiness(): Promise<DependencyStatus[]>;
}

/** Event ingest (Redis consumer group or in-process), signed checkpoints, SIEM exports. */
export function createWorkerJobs(opts: WorkerJobsOptions): WorkerJobs {
  const log = opts.log ?? ((line: string) => console.log(`[worker] ${line}`));
  const ingestor = createIngestor({ prisma: opts.prisma, onAlert: opts.onAlert, onRejected: (r) => r.forEach((x) => log(`ingest: rejected ${x.id ?? "(no id)"}: ${x.reason}`)) });
  let consumer: IngestConsumer | undefined;
  let checkpoints: CheckpointJob | undefined;
  let exports: ExportRunner | undefined;

  return {
    async ingest(events) {
      await ingestor.ingest(events);
    },
    async start() {
      if (opts.redisUrl) consumer = await startIngestConsumer({ redis: opts.redisUrl, ingestor, consumer: opts.consumerName, log });
      if (opts.signingKey) checkpoints = startCheckpointJob({ prisma: opts.prisma, key: opts.signingKey, intervalMs: opts.checkpointIntervalMs, log });
      else log("audit: no signing key (PORTCULLIS_AUDIT_SIGNING_KEY): checkpoints are not signed");
      exports = startExportRunner({ prisma: opts.prisma, resolveSecret: opts.resolveSecret, log });
    },
    async stop() {
      await exports?.stop();
      await checkpoints?.stop();
      await consumer?.stop();
    },
    async readiness() {
      const ingest: Promise<DependencyStatus> = consumer
        ? probe("ingest", false, async () => {
            const b = await consumer!.backlog();
            const s = consumer!.stats();
            const detail = `stream ${b.length}, pending ${b.pending}, undelivered ${b.lag ?? "?"}${s.failing ? `, failing: ${s.lastError}` : ""}`;
            return { state: s.failing ? "degraded" : "up", detail };
          })
        : Promise.resolve({ name: "ingest", state: "embedded", required: false, detail: "in-process events" });
      const exportsStatus = probe("exports", false, async () => {
        const lag = await readExportLag(opts.prisma);
        const failing = lag.filter((l) => l.failures > 0);
        const detail = lag.map((l) => `${l.sink}/${l.stream}: ${l.behind} behind${l.failures ? ` (${l.lastError})` : ""}`).join("; ") || "no sinks";
        return { state: failing.length ? "degraded" : "up", detail };
      });
      const audit: DependencyStatus = opts.signingKey
        ? { name: "audit-checkpoints", state: "up", required: false }
        : { name: "audit-checkpoints", state: "degraded", required: false, detail: "no signing key" };
      return [await ingest, await exportsStatus, audit];
    },
  };
}

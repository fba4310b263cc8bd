import type { AuditEventInput, PrismaClient } from "@portcullis/db";
import {
  alertToAuditInput,
  decisionToAuditInput,
  portcullisEventSchema,
  type AlertEvent,
  type PortcullisEvent,
  type RequestEvent,
} from "@portcullis/events";
import { appendAuditEvents } from "./append-audit-events";
import { insertRequestLogs } from "./insert-request-logs";
import { isDataError } from "./pg-errors";

export interface RejectedEvent {
  /** The event id when it had one. */
  id?: string;
  reason: string;
  event: unknown;
}

export interface IngestResult {
  requests: { received: number; inserted: number };
  audit: { received: number; appended: number };
  rejected: RejectedEvent[];
}

export interface IngestorOptions {
  prisma: PrismaClient;
  /** Alerts newly stored in the audit chain (not replays), e.g. for notifications. */
  onAlert?: (alert: AlertEvent) => void;
  /** Events that can never be stored (invalid, or refused by the database); default: dropped. */
  onRejected?: (rejected: RejectedEvent[]) => void | Promise<void>;
}

export interface Ingestor {
  /**
   * Stores a batch idempotently: request logs (and their usage rollup) and audit events whose
   * ids are already stored are skipped. Throws on transient failures (database down): the
   * caller keeps the batch and retries, nothing is half-counted.
   */
  ingest(raw: readonly unknown[]): Promise<IngestResult>;
}

export function createIngestor(opts: IngestorOptions): Ingestor {
  const { prisma } = opts;
  return {
    async ingest(raw) {
      const rejected: RejectedEvent[] = [];
      const requests = new Map<string, RequestEvent>();
      const chain = new Map<string, { input: AuditEventInput; alert?: AlertEvent }>();
      for (const item of raw) {
        const parsed = portcullisEventSchema.safeParse(item);
        if (!parsed.success) {
          rejected.push({ id: idOf(item), reason: `invalid event: ${parsed.error.issues.slice(0, 3).map(issueText).join("; ")}`, event: item });
          continue;
        }
        addEvent(parsed.data, requests, chain);
      }

      let inserted = 0;
      await isolatePoison([...requests.values()], rejected, async (batch) => {
        inserted += (await insertRequestLogs(prisma, batch)).inserted;
      });

      let appended = 0;
      const entries = [...chain.values()];
      await isolatePoison(entries, rejected, async (batch) => {
        const result = await appendAuditEvents(prisma, batch.map((b) => b.input));
        appended += result.appended.length;
        const fresh = new Set(result.appended);
        for (const b of batch) if (b.alert && fresh.has(b.alert.id)) opts.onAlert?.(b.alert);
      });

      if (rejected.length > 0) await opts.onRejected?.(rejected);
      return { requests: { received: requests.size, inserted }, audit: { received: chain.size, appended }, rejected };
    },
  };
}

function addEvent(e: PortcullisEvent, requests: Map<string, RequestEvent>, chain: Map<string, { input: AuditEventInput; alert?: AlertEvent }>) {
  // Duplicates inside one batch (a replay racing the original) keep the first copy.
  if (e.type === "request") {
    if (!requests.has(e.id)) requests.set(e.id, e);
  } else if (!chain.has(e.id)) {
    chain.set(e.id, e.type === "decision" ? { input: decisionToAuditInput(e) } : { input: alertToAuditInput(e), alert: e });
  }
}

/**
 * Runs `store` on the batch; if the database refuses the data itself (not a transient
 * failure), halves the batch until the offending event is alone and rejects only that one, so
 * one bad event cannot block the stream forever.
 */
async function isolatePoison<T>(batch: T[], rejected: RejectedEvent[], store: (b: T[]) => Promise<void>): Promise<void> {
  if (batch.length === 0) return;
  try {
    await store(batch);
  } catch (e) {
    if (!isDataError(e)) throw e;
    if (batch.length === 1) {
      rejected.push({ id: idOf(batch[0]), reason: `refused by the database: ${(e as Error).message.slice(0, 300)}`, event: batch[0] });
      return;
    }
    const mid = Math.ceil(batch.length / 2);
    await isolatePoison(batch.slice(0, mid), rejected, store);
    await isolatePoison(batch.slice(mid), rejected, store);
  }
}

function idOf(item: unknown): string | undefined {
  if (item && typeof item === "object") {
    const o = item as { id?: unknown; input?: { id?: unknown } };
    if (typeof o.id === "string") return o.id;
    if (typeof o.input?.id === "string") return o.input.id;
  }
  return undefined;
}

function issueText(i: { path: PropertyKey[]; message: string }): string {
  return `${i.path.map(String).join(".") || "(event)"}: ${i.message}`;
}

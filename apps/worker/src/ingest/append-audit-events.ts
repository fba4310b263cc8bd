import { GENESIS_HASH, hashEvent, toCanonicalValue } from "@portcullis/audit";
import { newId } from "@portcullis/core";
import { AUDIT_CHAIN_LOCK, type AuditEventInput, type PrismaClient } from "@portcullis/db";

export interface AppendAuditResult {
  appended: string[];
  /** Ids already in the chain (a replay or a redelivery). */
  skipped: string[];
}

/**
 * Appends gateway decisions and alerts to the audit hash chain, a whole batch in one
 * transaction: the same chain lock and the same hashing as appendAuditEvent (@portcullis/db),
 * but one head read and one multi-row INSERT instead of three statements per event, which
 * matters when a flood of failed authentications arrives (per-event appends managed ~120/s
 * on the dev box). Ids already present are skipped; the lock is taken before that check, so
 * two workers handed the same event cannot both decide it is new.
 */
export async function appendAuditEvents(prisma: PrismaClient, inputs: readonly AuditEventInput[]): Promise<AppendAuditResult> {
  if (inputs.length === 0) return { appended: [], skipped: [] };
  return prisma.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK}::bigint)`;
      const ids = inputs.map((i) => i.id).filter((id): id is string => id !== undefined);
      const present = await tx.auditEvent.findMany({ where: { id: { in: ids } }, select: { id: true } });
      const seen = new Set(present.map((p) => p.id));
      const head = await tx.auditEvent.findFirst({ orderBy: { seq: "desc" }, select: { hash: true } });
      let prevHash = head?.hash ?? GENESIS_HASH;

      const rows: Record<string, unknown>[] = [];
      const appended: string[] = [];
      const skipped: string[] = [];
      for (const input of inputs) {
        if (input.id !== undefined && seen.has(input.id)) {
          skipped.push(input.id);
          continue;
        }
        // Normalized exactly as appendAuditEvent does, so a verifier re-hashing the stored row
        // gets the same bytes (instants at millisecond precision, JSON as jsonb returns it).
        const fields = {
          id: input.id ?? newId("auditEvent"),
          occurredAt: (input.occurredAt ?? new Date()).toISOString(),
          actorType: input.actorType,
          actorId: input.actorId ?? null,
          actorLabel: input.actorLabel ?? null,
          action: input.action,
          targetType: input.targetType ?? null,
          targetId: input.targetId ?? null,
          before: input.before === undefined ? null : toCanonicalValue(input.before),
          after: input.after === undefined ? null : toCanonicalValue(input.after),
          ip: input.ip ?? null,
          userAgent: input.userAgent ?? null,
          requestId: input.requestId ?? null,
          outcome: input.outcome ?? "success",
          metadata: toCanonicalValue(input.metadata ?? {}),
        };
        const hash = hashEvent(prevHash, fields);
        rows.push({ ...fields, prevHash, hash });
        seen.add(fields.id);
        appended.push(fields.id);
        prevHash = hash;
      }
      if (rows.length > 0) {
        // seq comes from the sequence in row order, which is the chain order.
        await tx.$executeRawUnsafe(
          `INSERT INTO audit_events (id, occurred_at, actor_type, actor_id, actor_label, action, target_type, target_id,
             before, after, ip, user_agent, request_id, outcome, metadata, prev_hash, hash)
           SELECT r."id", r."occurredAt", r."actorType"::audit_actor_type, r."actorId", r."actorLabel", r."action",
             r."targetType", r."targetId", r."before", r."after", r."ip", r."userAgent", r."requestId",
             r."outcome"::audit_outcome, r."metadata", r."prevHash", r."hash"
           FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS ("id" text, "occurredAt" timestamptz, "actorType" text,
             "actorId" text, "actorLabel" text, "action" text, "targetType" text, "targetId" text, "before" jsonb,
             "after" jsonb, "ip" text, "userAgent" text, "requestId" text, "outcome" text, "metadata" jsonb,
             "prevHash" text, "hash" text)) WITH ORDINALITY AS r("id", "occurredAt", "actorType", "actorId", "actorLabel",
             "action", "targetType", "targetId", "before", "after", "ip", "userAgent", "requestId", "outcome", "metadata",
             "prevHash", "hash", n)
           ORDER BY r.n`,
          JSON.stringify(rows),
        );
      }
      return { appended, skipped };
    },
    { timeout: 60_000, maxWait: 10_000 },
  );
}

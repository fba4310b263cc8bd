import { GENESIS_HASH, hashEvent, toCanonicalValue } from "@portcullis/audit";
import { newId } from "@portcullis/core";
import { Prisma } from "./generated/prisma/client";
import type { AuditActorType, AuditEvent, AuditOutcome } from "./generated/prisma/client";

/** An audit event to append; the chain fields (id, seq, prevHash, hash) are filled in here. */
export interface AuditEventInput {
  /** Defaults to newId("auditEvent"). */
  id?: string;
  /** Defaults to now. */
  occurredAt?: Date;
  actorType: AuditActorType;
  actorId?: string | null;
  actorLabel?: string | null;
  /** `resource.verb`, e.g. "virtual_key.create". */
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  before?: unknown;
  after?: unknown;
  ip?: string | null;
  userAgent?: string | null;
  requestId?: string | null;
  /** Defaults to "success". */
  outcome?: AuditOutcome;
  metadata?: Record<string, unknown>;
}

/** Advisory lock key that serializes appends to the chain (arbitrary, fixed forever). */
export const AUDIT_CHAIN_LOCK = 0x706f7274; // "port"

/**
 * Appends one event to the audit hash chain inside the caller's transaction, so the event
 * commits or rolls back with the change it describes.
 *
 * The transaction-scoped advisory lock makes appends run one at a time; the head is read after
 * taking it, so the caller's transaction must be READ COMMITTED (the default). Should a snapshot
 * be older than the head anyway, the unique prev_hash index refuses the insert rather than
 * letting the chain fork.
 */
export async function appendAuditEvent(tx: Prisma.TransactionClient, input: AuditEventInput): Promise<AuditEvent> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK}::bigint)`;
  const head = await tx.auditEvent.findFirst({ orderBy: { seq: "desc" }, select: { hash: true } });
  const prevHash = head?.hash ?? GENESIS_HASH;

  // JSON values are normalized to what jsonb gives back, so a verifier re-hashing rows gets
  // the same bytes (Dates become ISO strings, bigints decimal strings, undefined members go).
  const fields = {
    id: input.id ?? newId("auditEvent"),
    occurredAt: input.occurredAt ?? new Date(),
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
    metadata: toCanonicalValue<Prisma.InputJsonObject>(input.metadata ?? {}),
  };
  const hash = hashEvent(prevHash, fields);
  return tx.auditEvent.create({
    data: {
      ...fields,
      before: jsonOrDbNull(fields.before),
      after: jsonOrDbNull(fields.after),
      prevHash,
      hash,
    },
  });
}

function jsonOrDbNull(value: unknown): Prisma.InputJsonValue | typeof Prisma.DbNull {
  return value === null ? Prisma.DbNull : (value as Prisma.InputJsonValue);
}

import type { Prisma } from "@portcullis/db";
import { z } from "zod";

export const auditFilterSchema = z.object({
  /** Exact action, or a prefix ending in "." (e.g. "virtual_key."). */
  action: z.string().trim().max(100).optional(),
  /** Matches the actor's label (e-mail, name) or id. */
  actor: z.string().trim().max(200).optional(),
  targetType: z.string().trim().max(64).optional(),
  targetId: z.string().trim().max(128).optional(),
  outcome: z.enum(["success", "failure", "denied"]).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});
export type AuditFilter = z.infer<typeof auditFilterSchema>;

export function auditWhere(f: AuditFilter): Prisma.AuditEventWhereInput {
  const and: Prisma.AuditEventWhereInput[] = [];
  if (f.action) and.push(f.action.endsWith(".") ? { action: { startsWith: f.action } } : { action: f.action });
  if (f.actor) and.push({ OR: [{ actorLabel: { contains: f.actor, mode: "insensitive" } }, { actorId: f.actor }] });
  if (f.targetType) and.push({ targetType: f.targetType });
  if (f.targetId) and.push({ targetId: f.targetId });
  if (f.outcome) and.push({ outcome: f.outcome });
  if (f.from || f.to) and.push({ occurredAt: { ...(f.from ? { gte: new Date(f.from) } : {}), ...(f.to ? { lt: new Date(f.to) } : {}) } });
  return { AND: and };
}

type AuditRow = {
  id: string;
  seq: bigint;
  occurredAt: Date;
  actorType: string;
  actorId: string | null;
  actorLabel: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  outcome: string;
  metadata: unknown;
  prevHash: string;
  hash: string;
};

/** An audit event as the console, the API and the exports give it (seq as a decimal string). */
export function toAuditDto(e: AuditRow) {
  return {
    id: e.id,
    seq: e.seq.toString(),
    occurredAt: e.occurredAt.toISOString(),
    actorType: e.actorType,
    actorId: e.actorId,
    actorLabel: e.actorLabel,
    action: e.action,
    targetType: e.targetType,
    targetId: e.targetId,
    outcome: e.outcome,
    ip: e.ip,
    userAgent: e.userAgent,
    requestId: e.requestId,
    before: e.before ?? null,
    after: e.after ?? null,
    metadata: (e.metadata ?? {}) as Record<string, unknown>,
    prevHash: e.prevHash,
    hash: e.hash,
  };
}
export type AuditDto = ReturnType<typeof toAuditDto>;

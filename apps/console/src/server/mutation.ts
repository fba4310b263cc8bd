import { appendAuditEvent, bumpConfigVersion, type Prisma, type PrismaClient } from "@portcullis/db";
import { viewerLabel, type Viewer } from "./auth/console-sessions";
import type { RequestMeta } from "./request-meta";
import type { ConsoleServices } from "./console-services";

/** One audit event of a mutation: `resource.verb`, its target, and the row before and after. */
export interface AuditEntry {
  action: string;
  targetType: string;
  targetId: string;
  before?: unknown;
  after?: unknown;
  metadata?: Record<string, unknown>;
}

export type Tx = Prisma.TransactionClient;
export type RecordAudit = (entry: AuditEntry) => Promise<void>;

export interface MutationContext {
  prisma: PrismaClient;
  viewer: Viewer;
  meta: RequestMeta;
  services: Pick<ConsoleServices, "publishConfigChange">;
}

/**
 * Runs a configuration change the one way the console changes anything: ONE transaction
 * that changes the rows, appends the audit event(s) (at least one, or the change rolls
 * back) and bumps the configuration version; after the commit the version is published.
 */
export async function withMutation<T>(ctx: MutationContext, change: (tx: Tx, audit: RecordAudit) => Promise<T>): Promise<T> {
  const { result, version } = await ctx.prisma.$transaction(
    async (tx) => {
      let audited = 0;
      const audit: RecordAudit = async (entry) => {
        audited++;
        await appendAuditEvent(tx, {
          action: entry.action,
          actorType: ctx.viewer.actorType,
          actorId: ctx.viewer.user.id,
          actorLabel: viewerLabel(ctx.viewer),
          targetType: entry.targetType,
          targetId: entry.targetId,
          before: entry.before,
          after: entry.after,
          ip: ctx.meta.ip,
          userAgent: ctx.meta.userAgent,
          metadata: { ...(entry.metadata ?? {}), via: ctx.viewer.actorType === "user" ? "console" : "api" },
        });
      };
      const value = await change(tx, audit);
      if (audited === 0) throw new Error("a mutation must append its audit event");
      return { result: value, version: await bumpConfigVersion(tx) };
    },
    // The embedded database runs transactions one at a time: give a queued one room to start.
    { maxWait: 15_000, timeout: 30_000 },
  );
  await ctx.services.publishConfigChange(version);
  return result;
}

import { z } from "zod";
import { createRouter, protectedProcedure, requirePermission } from "../../trpc/init";
import { idSchema } from "../schemas";
import { verifyAuditChain } from "./chain";
import { auditFilterSchema, auditWhere, toAuditDto } from "./filters";

export const auditRouter = createRouter({
  /** Newest first, paged by seq; before/after are left to `get`. */
  list: protectedProcedure
    .use(requirePermission("audit.read"))
    .input(auditFilterSchema.extend({ cursor: z.string().regex(/^\d+$/).optional(), limit: z.number().int().min(1).max(200).default(50) }))
    .query(async ({ ctx, input }) => {
      const { cursor, limit, ...filter } = input;
      const rows = await ctx.prisma.auditEvent.findMany({
        where: { AND: [auditWhere(filter), cursor ? { seq: { lt: BigInt(cursor) } } : {}] },
        orderBy: { seq: "desc" },
        take: limit + 1,
      });
      const page = rows.slice(0, limit).map((r) => {
        const { before, after, ...rest } = toAuditDto(r);
        return { ...rest, hasChanges: before !== null || after !== null };
      });
      return { items: page, nextCursor: rows.length > limit ? (page[page.length - 1]?.seq ?? null) : null };
    }),

  get: protectedProcedure
    .use(requirePermission("audit.read"))
    .input(z.object({ id: idSchema }))
    .query(async ({ ctx, input }) => {
      const row = await ctx.prisma.auditEvent.findUnique({ where: { id: input.id } });
      return row ? toAuditDto(row) : null;
    }),

  /** The chain head (cheap, always shown) and what action names exist, for the filter. */
  chainHead: protectedProcedure.use(requirePermission("audit.read")).query(async ({ ctx }) => {
    const [head, count, archive, actions] = await Promise.all([
      ctx.prisma.auditEvent.findFirst({ orderBy: { seq: "desc" }, select: { seq: true, hash: true, occurredAt: true } }),
      ctx.prisma.auditEvent.count(),
      ctx.prisma.auditArchive.findFirst({ orderBy: { checkpointSeq: "desc" }, select: { checkpointSeq: true, createdAt: true } }),
      ctx.prisma.auditEvent.findMany({ distinct: ["action"], select: { action: true }, orderBy: { action: "asc" }, take: 500 }),
    ]);
    return {
      headSeq: head?.seq.toString() ?? null,
      headHash: head?.hash ?? null,
      headAt: head?.occurredAt.toISOString() ?? null,
      events: count,
      archivedThroughSeq: archive?.checkpointSeq.toString() ?? null,
      actions: actions.map((a) => a.action),
    };
  }),

  /** Re-hashes the chain now (reads every event: on demand, not on page load). */
  verify: protectedProcedure.use(requirePermission("audit.read")).query(async ({ ctx }) => verifyAuditChain(ctx.prisma)),
});

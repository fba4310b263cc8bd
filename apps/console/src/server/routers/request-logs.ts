import type { Prisma } from "@portcullis/db";
import { z } from "zod";
import { notFound, teamFilter } from "../authz";
import { microsToUsd } from "../money";
import { createRouter, protectedProcedure, requirePermission } from "../trpc/init";
import { idSchema } from "./schemas";

const filterSchema = z.object({
  virtualKeyId: z.string().trim().max(64).optional(),
  teamId: z.string().trim().max(64).optional(),
  model: z.string().trim().max(200).optional(),
  provider: z.string().trim().max(64).optional(),
  outcome: z.enum(["success", "error", "denied", "incomplete"]).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  cursor: z.string().regex(/^\d+$/).optional(),
  limit: z.number().int().min(1).max(200).default(50),
});

type Row = Awaited<ReturnType<Prisma.TransactionClient["requestLog"]["findUniqueOrThrow"]>>;

function toSummary(r: Row) {
  return {
    id: r.id,
    seq: r.seq.toString(),
    createdAt: r.createdAt.toISOString(),
    virtualKeyId: r.virtualKeyId,
    teamId: r.teamId,
    customerId: r.customerId,
    tenantId: r.tenantId,
    endpoint: r.endpoint,
    modelRequested: r.modelRequested,
    provider: r.provider,
    modelUsed: r.modelUsed,
    stream: r.stream,
    inputTokens: r.inputTokens,
    outputTokens: r.outputTokens,
    latencyMs: r.latencyMs,
    ttftMs: r.ttftMs,
    costUsd: microsToUsd(r.costMicros),
    outcome: r.outcome,
    status: r.status,
    errorCode: r.errorCode,
  };
}

export const requestLogsRouter = createRouter({
  /**
   * Newest first by time (created_at, then seq); with a team-scoped grant only the requests of
   * those teams' keys. Ordering by time, not by seq alone, lets a time range walk the
   * (created_at, seq) index: ordered by seq, a day a fortnight back meant scanning every newer row
   * (2 s at 10 million rows; see bench/src/request-log-query.ts). The cursor is the last row's seq.
   */
  list: protectedProcedure
    .use(requirePermission("request_log.read", { reach: true }))
    .input(filterSchema)
    .query(async ({ ctx, input }) => {
      const after = input.cursor ? await ctx.prisma.requestLog.findUnique({ where: { seq: BigInt(input.cursor) }, select: { createdAt: true, seq: true } }) : null;
      const where: Prisma.RequestLogWhereInput = {
        AND: [
          teamFilter(ctx.viewer.bindings, "request_log.read"),
          input.virtualKeyId ? { virtualKeyId: input.virtualKeyId } : {},
          input.teamId ? { teamId: input.teamId } : {},
          input.model ? { OR: [{ modelUsed: input.model }, { modelRequested: input.model }] } : {},
          input.provider ? { provider: input.provider } : {},
          input.outcome ? { outcome: input.outcome } : {},
          input.from || input.to ? { createdAt: { ...(input.from ? { gte: new Date(input.from) } : {}), ...(input.to ? { lt: new Date(input.to) } : {}) } } : {},
          // After the cursor row in (created_at DESC, seq DESC) order; the `lte` bounds the index scan.
          after ? { createdAt: { lte: after.createdAt }, OR: [{ createdAt: { lt: after.createdAt } }, { seq: { lt: after.seq } }] } : {},
          input.cursor && !after ? { seq: { lt: BigInt(input.cursor) } } : {},
        ],
      };
      const rows = await ctx.prisma.requestLog.findMany({ where, orderBy: [{ createdAt: "desc" }, { seq: "desc" }], take: input.limit + 1 });
      const page = rows.slice(0, input.limit);
      const keys = await ctx.prisma.virtualKey.findMany({
        where: { id: { in: [...new Set(page.flatMap((r) => (r.virtualKeyId ? [r.virtualKeyId] : [])))] } },
        select: { id: true, name: true },
      });
      const keyName = new Map(keys.map((k) => [k.id, k.name]));
      return {
        items: page.map((r) => ({ ...toSummary(r), keyName: r.virtualKeyId ? (keyName.get(r.virtualKeyId) ?? null) : null })),
        nextCursor: rows.length > input.limit ? (page[page.length - 1]?.seq.toString() ?? null) : null,
      };
    }),

  get: protectedProcedure
    .use(requirePermission("request_log.read", { reach: true }))
    .input(z.object({ id: idSchema }))
    .query(async ({ ctx, input }) => {
      const r = await ctx.prisma.requestLog.findFirst({ where: { id: input.id, ...teamFilter(ctx.viewer.bindings, "request_log.read") } });
      if (!r) throw notFound("Request");
      return {
        ...toSummary(r),
        userLabel: r.userLabel,
        providerKeyId: r.providerKeyId,
        params: r.params,
        cachedReadTokens: r.cachedReadTokens,
        cachedWriteTokens: r.cachedWriteTokens,
        attempts: r.attempts,
        fallbackPath: r.fallbackPath,
        guardrails: r.guardrails ?? null,
        requestBody: r.requestBody ?? null,
        responseBody: r.responseBody ?? null,
        metadata: r.metadata,
      };
    }),
});

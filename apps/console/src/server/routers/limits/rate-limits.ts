import { TRPCError } from "@trpc/server";
import { newId } from "@portcullis/core";
import { z } from "zod";
import { notFound } from "../../authz";
import { withMutation, type Tx } from "../../mutation";
import { createRouter, protectedProcedure, requirePermission, type TrpcContext } from "../../trpc/init";
import { idSchema } from "../schemas";
import { assertScopeExists, scopeFilter, scopeLabels, scopeSchema, teamOfScope } from "./scope";

const limitFields = z.object({
  rpm: z.number().int().positive().max(10_000_000).nullable(),
  tpm: z.number().int().positive().max(10_000_000_000).nullable(),
  windowSeconds: z.number().int().min(1).max(86_400).default(60),
  enabled: z.boolean().default(true),
});
const atLeastOne = (r: { rpm?: number | null; tpm?: number | null }) => r.rpm !== null || r.tpm !== null;
const atLeastOneMessage = { message: "Set requests or tokens per window (or both)" };

type Row = Awaited<ReturnType<Tx["rateLimit"]["findUniqueOrThrow"]>>;

/** Rate limits carry no usage here: their sliding windows live in the gateways' counters (Redis), seconds long. */
async function rateLimitDtos(db: Tx, rows: Row[]) {
  const label = await scopeLabels(db, rows);
  return rows.map((r) => ({
    id: r.id,
    scopeType: r.scopeType,
    scopeId: r.scopeId,
    scopeLabel: label(r),
    rpm: r.rpm,
    tpm: r.tpm,
    windowSeconds: r.windowSeconds,
    enabled: r.enabled,
  }));
}

const teamOfLimit = async (i: { id: string }, ctx: TrpcContext) => {
  const r = await ctx.prisma.rateLimit.findUnique({ where: { id: i.id }, select: { scopeType: true, scopeId: true } });
  return r ? teamOfScope(ctx.prisma, r.scopeType, r.scopeId) : null;
};

/** Rate limits are governed with budgets: the same permissions (budget.read / budget.update). */
export const rateLimitsRouter = createRouter({
  list: protectedProcedure.use(requirePermission("budget.read", { reach: true })).query(async ({ ctx }) => {
    const rows = await ctx.prisma.rateLimit.findMany({
      where: { AND: [await scopeFilter(ctx.prisma, ctx.viewer.bindings, "budget.read"), { scopeType: { not: "global" } }] },
      orderBy: [{ scopeType: "asc" }, { createdAt: "asc" }],
    });
    return rateLimitDtos(ctx.prisma, rows);
  }),

  create: protectedProcedure
    .input(limitFields.extend(scopeSchema.shape).refine(atLeastOne, atLeastOneMessage))
    .use(requirePermission("budget.update", { teamOf: (i: z.infer<typeof scopeSchema>, ctx) => teamOfScope(ctx.prisma, i.scopeType, i.scopeId) }))
    .mutation(async ({ ctx, input }) =>
      withMutation(ctx, async (tx, audit) => {
        await assertScopeExists(tx, input.scopeType, input.scopeId);
        const row = await tx.rateLimit.create({ data: { id: newId("rateLimit"), ...input } });
        const [after] = await rateLimitDtos(tx, [row]);
        await audit({ action: "rate_limit.create", targetType: "rate_limit", targetId: row.id, after });
        return after!;
      }),
    ),

  update: protectedProcedure
    .input(limitFields.partial().extend({ id: idSchema }))
    .use(requirePermission("budget.update", { teamOf: teamOfLimit }))
    .mutation(async ({ ctx, input }) =>
      withMutation(ctx, async (tx, audit) => {
        const row = await tx.rateLimit.findUnique({ where: { id: input.id } });
        if (!row) throw notFound("Rate limit");
        const [before] = await rateLimitDtos(tx, [row]);
        const { id, ...data } = input;
        const updated = await tx.rateLimit.update({ where: { id }, data });
        if (!atLeastOne(updated)) throw new TRPCError({ code: "BAD_REQUEST", message: atLeastOneMessage.message });
        const [after] = await rateLimitDtos(tx, [updated]);
        await audit({ action: "rate_limit.update", targetType: "rate_limit", targetId: id, before, after });
        return after!;
      }),
    ),

  delete: protectedProcedure
    .input(z.object({ id: idSchema }))
    .use(requirePermission("budget.update", { teamOf: teamOfLimit }))
    .mutation(async ({ ctx, input }) =>
      withMutation(ctx, async (tx, audit) => {
        const row = await tx.rateLimit.findUnique({ where: { id: input.id } });
        if (!row) throw notFound("Rate limit");
        const [before] = await rateLimitDtos(tx, [row]);
        await tx.rateLimit.delete({ where: { id: input.id } });
        await audit({ action: "rate_limit.delete", targetType: "rate_limit", targetId: input.id, before });
        return { id: input.id };
      }),
    ),
});

import { newId } from "@portcullis/core";
import { budgetWindow } from "@portcullis/policy";
import { z } from "zod";
import { notFound } from "../../authz";
import { microsToUsd, usdToMicros } from "../../money";
import { withMutation, type Tx } from "../../mutation";
import { createRouter, protectedProcedure, requirePermission, type TrpcContext } from "../../trpc/init";
import { idSchema, periodSchema, timeZoneSchema, usdSchema } from "../schemas";
import { assertScopeExists, limitScopeTypes, scopeFilter, scopeLabels, scopeOptionsFor, scopeSchema, teamOfScope } from "./scope";

const budgetFields = z.object({
  name: z.string().trim().max(100).optional().transform((v) => v || null),
  limitUsd: usdSchema,
  period: periodSchema,
  timeZone: timeZoneSchema.default("UTC"),
  calendarAligned: z.boolean().default(true),
  softThresholdPct: z.number().int().min(1).max(100).default(80),
  alertWebhookUrl: z.url("Enter an https:// URL").nullable().optional(),
  enabled: z.boolean().default(true),
});

type BudgetRow = Awaited<ReturnType<Tx["budget"]["findUniqueOrThrow"]>>;

/**
 * A budget with its current period's spend as last flushed by the worker into
 * budget_period_spend ("as of" that row's update time) and the next reset.
 */
async function budgetDtos(db: Tx, rows: BudgetRow[], now = new Date()) {
  const label = await scopeLabels(db, rows);
  const windows = rows.map((b) => budgetWindow({ period: b.period, timeZone: b.timeZone, calendarAligned: b.calendarAligned, periodStartMs: b.currentPeriodStart.getTime() }, now.getTime()));
  const spend = await db.budgetPeriodSpend.findMany({
    where: { OR: rows.map((b, i) => ({ budgetId: b.id, periodStart: new Date(windows[i]!.startMs) })) },
  });
  return rows.map((b, i) => {
    const w = windows[i]!;
    const s = spend.find((x) => x.budgetId === b.id);
    const limitUsd = microsToUsd(b.limitMicros);
    const spentUsd = s ? microsToUsd(s.spentMicros) : 0;
    return {
      id: b.id,
      name: b.name,
      scopeType: b.scopeType,
      scopeId: b.scopeId,
      scopeLabel: label(b),
      limitUsd,
      period: b.period,
      timeZone: b.timeZone,
      calendarAligned: b.calendarAligned,
      softThresholdPct: b.softThresholdPct,
      alertWebhookUrl: b.alertWebhookUrl,
      enabled: b.enabled,
      periodStart: new Date(w.startMs).toISOString(),
      nextReset: w.endMs === undefined ? null : new Date(w.endMs).toISOString(),
      spentUsd,
      usedPct: limitUsd > 0 ? Math.round((spentUsd / limitUsd) * 1000) / 10 : 0,
      /** When the worker last flushed this period's spend; null = nothing recorded yet. */
      spendAsOf: s?.updatedAt.toISOString() ?? null,
    };
  });
}

const teamOfBudget = async (i: { id: string }, ctx: TrpcContext) => {
  const b = await ctx.prisma.budget.findUnique({ where: { id: i.id }, select: { scopeType: true, scopeId: true } });
  return b ? teamOfScope(ctx.prisma, b.scopeType, b.scopeId) : null;
};

export const budgetsRouter = createRouter({
  list: protectedProcedure
    .use(requirePermission("budget.read", { reach: true }))
    .input(z.object({ scopeType: z.enum(limitScopeTypes).optional() }).default({}))
    .query(async ({ ctx, input }) => {
      const rows = await ctx.prisma.budget.findMany({
        where: { AND: [await scopeFilter(ctx.prisma, ctx.viewer.bindings, "budget.read"), input.scopeType ? { scopeType: input.scopeType } : { scopeType: { not: "global" } }] },
        orderBy: [{ scopeType: "asc" }, { createdAt: "asc" }],
      });
      return budgetDtos(ctx.prisma, rows);
    }),

  create: protectedProcedure
    .input(budgetFields.extend(scopeSchema.shape))
    .use(requirePermission("budget.update", { teamOf: (i: z.infer<typeof scopeSchema>, ctx) => teamOfScope(ctx.prisma, i.scopeType, i.scopeId) }))
    .mutation(async ({ ctx, input }) =>
      withMutation(ctx, async (tx, audit) => {
        await assertScopeExists(tx, input.scopeType, input.scopeId);
        const id = newId("budget");
        const { limitUsd, ...fields } = input;
        await tx.budget.create({ data: { ...fields, id, limitMicros: usdToMicros(limitUsd), alertWebhookUrl: input.alertWebhookUrl ?? null, currentPeriodStart: new Date() } });
        const [after] = await budgetDtos(tx, [await tx.budget.findUniqueOrThrow({ where: { id } })]);
        await audit({ action: "budget.create", targetType: "budget", targetId: id, after });
        return after!;
      }),
    ),

  update: protectedProcedure
    .input(budgetFields.partial().extend({ id: idSchema }))
    .use(requirePermission("budget.update", { teamOf: teamOfBudget }))
    .mutation(async ({ ctx, input }) =>
      withMutation(ctx, async (tx, audit) => {
        const row = await tx.budget.findUnique({ where: { id: input.id } });
        if (!row) throw notFound("Budget");
        const [before] = await budgetDtos(tx, [row]);
        const { id, limitUsd, ...fields } = input;
        const updated = await tx.budget.update({ where: { id }, data: { ...fields, ...(limitUsd !== undefined ? { limitMicros: usdToMicros(limitUsd) } : {}) } });
        const [after] = await budgetDtos(tx, [updated]);
        await audit({ action: "budget.update", targetType: "budget", targetId: id, before, after });
        return after!;
      }),
    ),

  delete: protectedProcedure
    .input(z.object({ id: idSchema }))
    .use(requirePermission("budget.update", { teamOf: teamOfBudget }))
    .mutation(async ({ ctx, input }) =>
      withMutation(ctx, async (tx, audit) => {
        const row = await tx.budget.findUnique({ where: { id: input.id } });
        if (!row) throw notFound("Budget");
        const [before] = await budgetDtos(tx, [row]);
        await tx.budget.delete({ where: { id: input.id } });
        await audit({ action: "budget.delete", targetType: "budget", targetId: input.id, before });
        return { id: input.id };
      }),
    ),

  /** What a budget or rate limit can be attached to, within the caller's reach. */
  scopeOptions: protectedProcedure
    .use(requirePermission("budget.read", { reach: true }))
    .query(({ ctx }) => scopeOptionsFor(ctx.prisma, ctx.viewer.bindings, "budget.read")),
});

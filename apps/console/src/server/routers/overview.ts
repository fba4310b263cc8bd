import { or } from "@portcullis/policy";
import { z } from "zod";
import { createRouter, protectedProcedure, requirePermission } from "../trpc/init";
import { loadDailySeries, loadTop } from "./overview-series";

const dayMs = 24 * 60 * 60 * 1000;

export interface OverviewSummary {
  activeVirtualKeys: number;
  teams: number;
  providers: number;
  requestsLast24h: number;
  /** ISO time the counts were taken; the 24 h window ends here. */
  asOf: string;
}

export const overviewRouter = createRouter({
  /** Organisation-wide counts for the landing page. */
  summary: protectedProcedure
    .use(requirePermission(or("spend.read", "fleet.read")))
    .query(async ({ ctx }): Promise<OverviewSummary> => {
      const now = new Date();
      const [activeVirtualKeys, teams, providers, requestsLast24h] = await Promise.all([
        ctx.prisma.virtualKey.count({ where: { status: "active" } }),
        ctx.prisma.team.count(),
        ctx.prisma.provider.count(),
        ctx.prisma.requestLog.count({ where: { createdAt: { gte: new Date(now.getTime() - dayMs) } } }),
      ]);
      return { activeVirtualKeys, teams, providers, requestsLast24h, asOf: now.toISOString() };
    }),

  /** Spend, requests, errors and latency per day, and the top keys, teams and models by spend. */
  charts: protectedProcedure
    .use(requirePermission(or("spend.read", "fleet.read")))
    .input(z.object({ days: z.union([z.literal(7), z.literal(14), z.literal(30), z.literal(90)]).default(14) }).default({ days: 14 }))
    .query(async ({ ctx, input }) => {
      const now = new Date();
      const [{ series, rolledUpAsOf }, top] = await Promise.all([loadDailySeries(ctx.prisma, input.days, now), loadTop(ctx.prisma, input.days, now)]);
      return { days: input.days, series, top, rolledUpAsOf, asOf: now.toISOString() };
    }),
});

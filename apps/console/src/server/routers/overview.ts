import { or } from "@portcullis/policy";
import { createRouter, protectedProcedure, requirePermission } from "../trpc/init";

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
});

import type { PrismaClient } from "@portcullis/db";
import { microsToUsd } from "../money";

const dayMs = 86_400_000;

export interface DayPoint {
  day: string;
  requests: number;
  errors: number;
  costUsd: number;
  tokens: number;
  avgLatencyMs: number | null;
  p95LatencyMs: number | null;
}

export interface TopItem {
  id: string;
  label: string;
  requests: number;
  costUsd: number;
}

/** UTC days from `days - 1` days ago to today, as YYYY-MM-DD. */
export function dayRange(days: number, now: Date): string[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Array.from({ length: days }, (_, i) => new Date(today - (days - 1 - i) * dayMs).toISOString().slice(0, 10));
}

/**
 * Spend, requests and errors per UTC day from the usage_daily rollup (written by the
 * worker), latency per day from request_logs; days without traffic are zero, not missing.
 */
export async function loadDailySeries(prisma: PrismaClient, days: number, now: Date): Promise<{ series: DayPoint[]; rolledUpAsOf: string | null }> {
  const range = dayRange(days, now);
  const since = new Date(`${range[0]}T00:00:00Z`);
  const [usage, latency, freshest] = await Promise.all([
    prisma.usageDaily.groupBy({
      by: ["day"],
      where: { day: { gte: since } },
      _sum: { requests: true, errors: true, costMicros: true, inputTokens: true, outputTokens: true },
    }),
    prisma.$queryRaw<{ day: string; avg: number | null; p95: number | null }[]>`
      SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
             avg(latency_ms)::float8 AS avg,
             percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms)::float8 AS p95
      FROM request_logs
      WHERE created_at >= ${since} AND latency_ms IS NOT NULL
      GROUP BY 1`,
    prisma.usageDaily.findFirst({ orderBy: { updatedAt: "desc" }, select: { updatedAt: true } }),
  ]);
  const byDay = new Map(usage.map((u) => [u.day.toISOString().slice(0, 10), u._sum]));
  const lat = new Map(latency.map((l) => [l.day, l]));
  const series = range.map((day) => {
    const u = byDay.get(day);
    const l = lat.get(day);
    return {
      day,
      requests: Number(u?.requests ?? 0),
      errors: Number(u?.errors ?? 0),
      costUsd: microsToUsd(u?.costMicros ?? 0n),
      tokens: Number(u?.inputTokens ?? 0) + Number(u?.outputTokens ?? 0),
      avgLatencyMs: l?.avg == null ? null : Math.round(l.avg),
      p95LatencyMs: l?.p95 == null ? null : Math.round(l.p95),
    };
  });
  return { series, rolledUpAsOf: freshest?.updatedAt.toISOString() ?? null };
}

/** The top keys, teams and models by spend over the range. */
export async function loadTop(prisma: PrismaClient, days: number, now: Date, take = 5): Promise<{ keys: TopItem[]; teams: TopItem[]; models: TopItem[] }> {
  const since = new Date(`${dayRange(days, now)[0]}T00:00:00Z`);
  const top = async (by: "virtualKeyId" | "teamId" | "model") => {
    const rows = await prisma.usageDaily.groupBy({
      by: [by],
      where: { day: { gte: since }, [by]: { not: "" } },
      _sum: { requests: true, costMicros: true },
      orderBy: { _sum: { costMicros: "desc" } },
      take,
    });
    return rows.map((r) => ({ id: String(r[by]), requests: Number(r._sum.requests ?? 0), costUsd: microsToUsd(r._sum.costMicros ?? 0n) }));
  };
  const [keys, teams, models] = await Promise.all([top("virtualKeyId"), top("teamId"), top("model")]);
  const [keyNames, teamNames] = await Promise.all([
    prisma.virtualKey.findMany({ where: { id: { in: keys.map((k) => k.id) } }, select: { id: true, name: true } }),
    prisma.team.findMany({ where: { id: { in: teams.map((t) => t.id) } }, select: { id: true, name: true } }),
  ]);
  const name = (list: { id: string; name: string }[], id: string) => list.find((x) => x.id === id)?.name ?? id;
  return {
    keys: keys.map((k) => ({ ...k, label: name(keyNames, k.id) })),
    teams: teams.map((t) => ({ ...t, label: name(teamNames, t.id) })),
    models: models.map((m) => ({ ...m, label: m.id })),
  };
}

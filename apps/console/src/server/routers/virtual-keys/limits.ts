import { TRPCError } from "@trpc/server";
import { newId } from "@portcullis/core";
import type { Tx } from "../../mutation";
import { microsToUsd, usdToMicros } from "../../money";
import { limitsByKey, type KeyLimits } from "./dto";

type Budget = { limitUsd: number; period: "day" | "week" | "month" | "quarter" | "year" | "lifetime" };
type Rate = { rpm: number | null; tpm: number | null };

export async function loadKeyLimits(tx: Tx, keyIds: string[]): Promise<(keyId: string) => KeyLimits> {
  // One after the other: inside a transaction the queries share one connection anyway.
  const budgets = await tx.budget.findMany({ where: { scopeType: "virtual_key", scopeId: { in: keyIds } }, orderBy: { createdAt: "asc" } });
  const rateLimits = await tx.rateLimit.findMany({ where: { scopeType: "virtual_key", scopeId: { in: keyIds } } });
  return limitsByKey({ budgets, rateLimits });
}

/**
 * A key's limits must fit inside its team's: a key budget above the team's budget for the
 * same period, or a per-minute rate above the team's, could never be used and usually
 * means a typo, so it is refused with the team's figure.
 */
export async function assertWithinTeamLimits(tx: Tx, teamId: string | null, budget: Budget | null | undefined, rate: Rate | null | undefined): Promise<void> {
  if (!teamId) return;
  if (budget) {
    const team = await tx.budget.findFirst({ where: { scopeType: "team", scopeId: teamId, period: budget.period, enabled: true } });
    if (team && usdToMicros(budget.limitUsd) > team.limitMicros) {
      throw new TRPCError({
        code: "BAD_REQUEST",
        message: `The key's ${budget.period} budget ($${budget.limitUsd}) exceeds its team's ($${microsToUsd(team.limitMicros)}).`,
      });
    }
  }
  if (rate) {
    const team = await tx.rateLimit.findFirst({ where: { scopeType: "team", scopeId: teamId, windowSeconds: 60, enabled: true } });
    for (const field of ["rpm", "tpm"] as const) {
      const mine = rate[field];
      const cap = team?.[field];
      if (mine !== null && cap !== null && cap !== undefined && mine > cap) {
        throw new TRPCError({ code: "BAD_REQUEST", message: `The key's ${field.toUpperCase()} (${mine}) exceeds its team's (${cap}).` });
      }
    }
  }
}

/** Replaces a key's budget (one period) and per-minute rate limit; undefined leaves one as it is. */
export async function writeKeyLimits(tx: Tx, keyId: string, budget: Budget | null | undefined, rate: Rate | null | undefined, now: Date): Promise<void> {
  if (budget !== undefined) {
    await tx.budget.deleteMany({ where: { scopeType: "virtual_key", scopeId: keyId, ...(budget ? { period: { not: budget.period } } : {}) } });
    if (budget) {
      const limitMicros = usdToMicros(budget.limitUsd);
      await tx.budget.upsert({
        where: { scopeType_scopeId_period: { scopeType: "virtual_key", scopeId: keyId, period: budget.period } },
        create: { id: newId("budget"), scopeType: "virtual_key", scopeId: keyId, period: budget.period, limitMicros, currentPeriodStart: now },
        update: { limitMicros },
      });
    }
  }
  if (rate !== undefined) {
    await tx.rateLimit.deleteMany({ where: { scopeType: "virtual_key", scopeId: keyId } });
    if (rate) await tx.rateLimit.create({ data: { id: newId("rateLimit"), scopeType: "virtual_key", scopeId: keyId, rpm: rate.rpm, tpm: rate.tpm, windowSeconds: 60 } });
  }
}

/** Provider keys a virtual key may be pinned to: they must exist, in the key's environment. */
export async function assertBindable(tx: Tx, providerKeyIds: string[], environment: string): Promise<void> {
  if (providerKeyIds.length === 0) return;
  const found = await tx.providerKey.findMany({ where: { id: { in: providerKeyIds } }, select: { id: true, environment: true, name: true } });
  const missing = providerKeyIds.filter((id) => !found.some((f) => f.id === id));
  if (missing.length) throw new TRPCError({ code: "BAD_REQUEST", message: `Unknown provider key(s): ${missing.join(", ")}.` });
  const wrong = found.filter((f) => f.environment !== environment);
  if (wrong.length) {
    throw new TRPCError({ code: "BAD_REQUEST", message: `Provider key(s) ${wrong.map((w) => w.name).join(", ")} are not in the ${environment} environment.` });
  }
}

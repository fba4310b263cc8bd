import type { PrismaClient } from "@portcullis/db";
import { executePlan, type ApplyActor, type ApplyResult } from "./execute";
import type { ConfigProblem, LoadedConfig } from "./load";
import { formatPlan, planChanges, type Plan } from "./plan";
import { readState } from "./state";

export type ApplyOutcome = { problems: ConfigProblem[] } | { plan: Plan; applied: ApplyResult | null };

export interface ApplyConfigOptions {
  dryRun: boolean;
  hashKey: (plaintext: string) => string;
  actor: ApplyActor;
}

/**
 * `apply` for the CLI on the database and for the console's API alike: plan the file against
 * what the database holds and, unless it is a dry run or nothing changes, carry the plan out in
 * ONE transaction (rows, one audit event per change, one config version bump). Publishing the
 * new version is the caller's: each has its own bus.
 */
export async function applyConfig(prisma: PrismaClient, loaded: LoadedConfig, opts: ApplyConfigOptions): Promise<ApplyOutcome> {
  const state = await readState(prisma);
  const plan = planChanges(loaded, state, opts.hashKey);
  if ("problems" in plan) return plan;
  if (opts.dryRun || plan.changes.length === 0) return { plan, applied: null };
  return { plan, applied: await executePlan(prisma, loaded.document, plan, state, opts.hashKey, opts.actor) };
}

/** What `portcullis apply` prints after the plan: the new version and each generated key, once. */
export function formatApplyReport(plan: Plan, outcome: { dryRun: boolean; version: bigint | string | null | undefined; createdKeys: ApplyResult["createdKeys"] }): string {
  const lines = [formatPlan(plan)];
  if (outcome.dryRun) lines.push("dry run: nothing was changed");
  else if (outcome.version !== null && outcome.version !== undefined) {
    lines.push(`applied: configuration version ${outcome.version}`);
    for (const k of outcome.createdKeys) lines.push(`new virtual key "${k.name}" (shown once, store it now): ${k.key}`);
  }
  return lines.join("\n");
}

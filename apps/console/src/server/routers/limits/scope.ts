import { TRPCError } from "@trpc/server";
import type { Prisma } from "@portcullis/db";
import { reachOf, type Binding, type Permission } from "@portcullis/policy";
import { z } from "zod";
import type { Tx } from "../../mutation";

/** Levels a budget or rate limit can apply at (the gateway enforces these; `global` rows are not compiled). */
export const limitScopeTypes = ["customer", "team", "virtual_key", "provider_key", "tenant"] as const;
export type LimitScopeType = (typeof limitScopeTypes)[number];

export const scopeSchema = z.object({
  scopeType: z.enum(limitScopeTypes),
  scopeId: z.string().trim().min(1, "Choose what the limit applies to").max(128),
});

/** The team a scoped limit belongs to, for team-scoped permission checks; null = organisation-wide. */
export async function teamOfScope(db: Tx, scopeType: string, scopeId: string): Promise<string | null> {
  if (scopeType === "team") return scopeId;
  if (scopeType === "virtual_key") {
    const key = await db.virtualKey.findUnique({ where: { id: scopeId }, select: { teamId: true } });
    return key?.teamId ?? null;
  }
  return null;
}

/** The scoped row must exist (tenant ids are free-form strings taken from a request header). */
export async function assertScopeExists(db: Tx, scopeType: LimitScopeType, scopeId: string): Promise<void> {
  const exists =
    scopeType === "customer"
      ? await db.customer.findUnique({ where: { id: scopeId }, select: { id: true } })
      : scopeType === "team"
        ? await db.team.findUnique({ where: { id: scopeId }, select: { id: true } })
        : scopeType === "virtual_key"
          ? await db.virtualKey.findUnique({ where: { id: scopeId }, select: { id: true } })
          : scopeType === "provider_key"
            ? await db.providerKey.findUnique({ where: { id: scopeId }, select: { id: true } })
            : /^[A-Za-z0-9._:-]{1,128}$/.test(scopeId);
  if (!exists) throw new TRPCError({ code: "BAD_REQUEST", message: `No ${scopeType.replace("_", " ")} "${scopeId}".` });
}

/** Rows of the scopes the caller reaches: everything globally, else their teams and those teams' keys. */
export async function scopeFilter(
  db: Tx,
  bindings: readonly Binding[],
  permission: Permission,
): Promise<Prisma.BudgetWhereInput & Prisma.RateLimitWhereInput & Prisma.GuardrailPolicyWhereInput> {
  const reach = reachOf(bindings, permission);
  if (reach.global) return {};
  const keys = await db.virtualKey.findMany({ where: { teamId: { in: reach.teamIds } }, select: { id: true } });
  return {
    OR: [
      { scopeType: "team", scopeId: { in: reach.teamIds } },
      { scopeType: "virtual_key", scopeId: { in: keys.map((k) => k.id) } },
    ],
  };
}

/** Human names for scope ids ("team Payments", "key ci-bot"...). */
export async function scopeLabels(db: Tx, rows: { scopeType: string; scopeId: string }[]): Promise<(r: { scopeType: string; scopeId: string }) => string> {
  const ids = (t: string) => rows.filter((r) => r.scopeType === t).map((r) => r.scopeId);
  // Sequential: called inside transactions, whose queries share one connection.
  const customers = await db.customer.findMany({ where: { id: { in: ids("customer") } }, select: { id: true, name: true } });
  const teams = await db.team.findMany({ where: { id: { in: ids("team") } }, select: { id: true, name: true } });
  const keys = await db.virtualKey.findMany({ where: { id: { in: ids("virtual_key") } }, select: { id: true, name: true } });
  const pks = await db.providerKey.findMany({ where: { id: { in: ids("provider_key") } }, select: { id: true, name: true, provider: { select: { name: true } } } });
  const names = new Map<string, string>([
    ...customers.map((c) => [c.id, c.name] as [string, string]),
    ...teams.map((t) => [t.id, t.name] as [string, string]),
    ...keys.map((k) => [k.id, k.name] as [string, string]),
    ...pks.map((k) => [k.id, `${k.provider.name} / ${k.name}`] as [string, string]),
  ]);
  return (r) => names.get(r.scopeId) ?? r.scopeId;
}

/** What a scoped policy (budget, rate limit, guardrail) can be attached to, within the caller's reach of `permission`. */
export async function scopeOptionsFor(db: Tx, bindings: readonly Binding[], permission: Permission) {
  const reach = reachOf(bindings, permission);
  const teamIds = reach.global ? undefined : reach.teamIds;
  // Sequential: may run inside a transaction, whose queries share one connection.
  const customers = reach.global ? await db.customer.findMany({ select: { id: true, name: true }, orderBy: { name: "asc" } }) : [];
  const teams = await db.team.findMany({ where: teamIds ? { id: { in: teamIds } } : {}, select: { id: true, name: true }, orderBy: { name: "asc" } });
  const keys = await db.virtualKey.findMany({ where: { status: "active", ...(teamIds ? { teamId: { in: teamIds } } : {}) }, select: { id: true, name: true }, orderBy: { name: "asc" }, take: 500 });
  const providerKeys = reach.global ? await db.providerKey.findMany({ select: { id: true, name: true, provider: { select: { name: true } } }, orderBy: { name: "asc" } }) : [];
  return {
    customer: customers.map((c) => ({ id: c.id, label: c.name })),
    team: teams.map((t) => ({ id: t.id, label: t.name })),
    virtual_key: keys.map((k) => ({ id: k.id, label: k.name })),
    provider_key: providerKeys.map((k) => ({ id: k.id, label: `${k.provider.name} / ${k.name}` })),
  };
}

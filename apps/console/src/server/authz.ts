import { TRPCError } from "@trpc/server";
import { canGrant, reachOf, type Binding, type Permission } from "@portcullis/policy";

/**
 * Authorization inside the Prisma `where`: the rows of teams where `permission` holds.
 * A global grant adds no condition; a team grant limits to those teams (and so never
 * reaches rows that belong to no team); no grant matches nothing.
 */
export function teamFilter(bindings: readonly Binding[], permission: Permission): { teamId?: { in: string[] } } {
  const reach = reachOf(bindings, permission);
  return reach.global ? {} : { teamId: { in: reach.teamIds } };
}

/** The team ids where `permission` holds, or "all" for a global grant. */
export function teamsWhere(bindings: readonly Binding[], permission: Permission): string[] | "all" {
  const reach = reachOf(bindings, permission);
  return reach.global ? "all" : reach.teamIds;
}

export function notFound(what: string): TRPCError {
  return new TRPCError({ code: "NOT_FOUND", message: `${what} not found, or not in a team you may manage.` });
}

/** Refuses to hand out a role the caller does not hold in full at that scope (no privilege escalation). */
export function assertCanGrant(bindings: readonly Binding[], role: { name: string; permissions: readonly string[] }, teamId: string | null): void {
  if (!canGrant(bindings, role.permissions, { teamId })) {
    const where = teamId ? `in team ${teamId}` : "organisation-wide";
    throw new TRPCError({ code: "FORBIDDEN", message: `You cannot grant the role ${role.name} ${where}: it has permissions you do not hold there.` });
  }
}

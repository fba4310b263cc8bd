import type { Prisma } from "@portcullis/db";
import { mapGroupsToBindings } from "./groups";

/** What one sign-in changed in a user's IdP-sourced role bindings and team memberships. */
export interface IdpSyncResult {
  added: { roleId: string; roleName: string; teamId: string | null }[];
  removed: { roleId: string; roleName: string; teamId: string | null }[];
  teamsJoined: string[];
  teamsLeft: string[];
  /** Every binding the user holds after the sync, whatever its source. */
  totalBindings: number;
}

const bindingKey = (b: { roleId: string; teamId: string | null }) => `${b.roleId}\u0000${b.teamId ?? ""}`;

/**
 * Just-in-time provisioning, run inside the sign-in transaction: the user's `source=idp`
 * role bindings and team memberships become exactly what their groups map to. Bindings
 * and memberships granted by hand (`source=manual`) are never touched, and an IdP grant
 * that duplicates a manual one is not created twice.
 */
export async function syncIdpAssignments(tx: Prisma.TransactionClient, userId: string, groups: readonly string[]): Promise<IdpSyncResult> {
  const mappings = groups.length
    ? await tx.idpGroupMapping.findMany({
        where: { groupName: { in: [...groups] } },
        select: { groupName: true, roleId: true, teamId: true, role: { select: { name: true } } },
      })
    : [];
  const roleNames = new Map(mappings.map((m) => [m.roleId, m.role.name]));
  const desired = mapGroupsToBindings(groups, mappings);
  const desiredKeys = new Set(desired.map(bindingKey));
  const desiredTeams = new Set(desired.flatMap((b) => (b.teamId ? [b.teamId] : [])));

  const existing = await tx.roleBinding.findMany({
    where: { userId },
    select: { id: true, roleId: true, teamId: true, source: true, role: { select: { name: true } } },
  });
  const manualKeys = new Set(existing.filter((b) => b.source === "manual").map(bindingKey));
  const kept = new Set<string>();
  const staleIds: string[] = [];
  const removed: IdpSyncResult["removed"] = [];
  for (const b of existing.filter((x) => x.source === "idp")) {
    const key = bindingKey(b);
    // Duplicates of an idp binding (or of a manual one) go too: one grant per (role, team).
    if (desiredKeys.has(key) && !kept.has(key) && !manualKeys.has(key)) {
      kept.add(key);
      continue;
    }
    staleIds.push(b.id);
    if (!desiredKeys.has(key)) removed.push({ roleId: b.roleId, roleName: b.role.name, teamId: b.teamId });
  }
  const toAdd = desired.filter((b) => !kept.has(bindingKey(b)) && !manualKeys.has(bindingKey(b)));
  if (staleIds.length) await tx.roleBinding.deleteMany({ where: { id: { in: staleIds } } });
  if (toAdd.length) {
    await tx.roleBinding.createMany({ data: toAdd.map((b) => ({ userId, roleId: b.roleId, teamId: b.teamId, source: "idp" as const })) });
  }

  const memberships = await tx.teamMembership.findMany({ where: { userId }, select: { teamId: true, source: true } });
  const teamsLeft = memberships.filter((m) => m.source === "idp" && !desiredTeams.has(m.teamId)).map((m) => m.teamId);
  const member = new Set(memberships.map((m) => m.teamId));
  const teamsJoined = [...desiredTeams].filter((t) => !member.has(t));
  if (teamsLeft.length) await tx.teamMembership.deleteMany({ where: { userId, teamId: { in: teamsLeft }, source: "idp" } });
  if (teamsJoined.length) {
    await tx.teamMembership.createMany({ data: teamsJoined.map((teamId) => ({ userId, teamId, source: "idp" as const })) });
  }

  const totalBindings = existing.length - staleIds.length + toAdd.length;
  return {
    added: toAdd.map((b) => ({ roleId: b.roleId, roleName: roleNames.get(b.roleId) ?? b.roleId, teamId: b.teamId })),
    removed,
    teamsJoined,
    teamsLeft,
    totalBindings,
  };
}

export function idpSyncChanged(r: IdpSyncResult): boolean {
  return r.added.length + r.removed.length + r.teamsJoined.length + r.teamsLeft.length > 0;
}

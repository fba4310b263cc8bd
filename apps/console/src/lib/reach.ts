/**
 * Where each permission holds for the signed-in viewer, computed on the server (reachOf)
 * and handed to the browser, so client code can hide actions without shipping the policy
 * package. The server checks every call again.
 */
export type ReachMap = Record<string, "all" | string[]>;

/** Organisation-wide, or inside `teamId` when given. */
export function reachCan(map: ReachMap, permission: string, teamId?: string | null): boolean {
  const reach = map[permission];
  if (!reach) return false;
  return reach === "all" || (teamId != null && reach.includes(teamId));
}

/** Granted globally or in at least one team. */
export function reachSomewhere(map: ReachMap, permission: string): boolean {
  const reach = map[permission];
  return reach === "all" || (Array.isArray(reach) && reach.length > 0);
}

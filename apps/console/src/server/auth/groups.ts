/**
 * IdP groups -> console role bindings. Pure: the sign-in path loads the mappings and
 * hands them in, so the mapping rules are testable without a database.
 */

/** Group names asserted by the IdP in `claimName` (string list, single string, or an object keyed by group). */
export function extractGroups(claims: Record<string, unknown>, claimName: string): string[] {
  const value = claimName in claims ? claims[claimName] : readPath(claims, claimName);
  let groups: unknown[];
  if (Array.isArray(value)) groups = value;
  else if (typeof value === "string") groups = [value];
  // ZITADEL's project roles claim: { "<role>": { "<orgId>": "<domain>" } }.
  else if (value !== null && typeof value === "object") groups = Object.keys(value);
  else groups = [];
  return [...new Set(groups.filter((g): g is string => typeof g === "string" && g.trim() !== "").map((g) => g.trim()))];
}

/** Follows a dotted path such as `realm_access.roles` (Keycloak's realm roles). */
function readPath(claims: Record<string, unknown>, path: string): unknown {
  let node: unknown = claims;
  for (const part of path.split(".")) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

export interface GroupMapping {
  /** The group name (or id, for Entra) exactly as the IdP sends it. */
  groupName: string;
  roleId: string;
  /** `null` grants the role organisation-wide; otherwise inside this team. */
  teamId: string | null;
}

export interface DesiredBinding {
  roleId: string;
  teamId: string | null;
}

/** The bindings a user's groups entitle them to: one per distinct (role, team). */
export function mapGroupsToBindings(groups: readonly string[], mappings: readonly GroupMapping[]): DesiredBinding[] {
  const member = new Set(groups);
  const out = new Map<string, DesiredBinding>();
  for (const m of mappings) {
    if (!member.has(m.groupName)) continue;
    out.set(`${m.roleId}\u0000${m.teamId ?? ""}`, { roleId: m.roleId, teamId: m.teamId });
  }
  return [...out.values()];
}

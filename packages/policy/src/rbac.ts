/**
 * Role-based access control for the console: typed `resource.action` permissions,
 * the built-in roles, and `can(bindings, query, scope)`.
 *
 * A binding grants a role's permissions either globally (`teamId: null`) or inside
 * one team. A check that names a team is satisfied by a global binding or by a
 * binding on that team; a check without a team (an organisation-wide resource) is
 * satisfied only by a global binding.
 */

/** Every action per resource. Adding a permission starts here. */
export const permissionActions = {
  virtual_key: ["read", "create", "update", "revoke"],
  budget: ["read", "update"],
  spend: ["read"],
  provider: ["read", "update"],
  provider_credential: ["update"],
  price: ["read", "update"],
  routing: ["read", "update"],
  guardrail: ["read", "update"],
  audit: ["read", "export"],
  request_log: ["read"],
  team: ["read", "update"],
  customer: ["read", "update"],
  member: ["read", "update"],
  role: ["read", "update"],
  settings: ["read", "update"],
  session: ["revoke"],
  service_account: ["read", "update"],
  sso: ["update"],
  export_sink: ["read", "update"],
  fleet: ["read"],
  /** The declarative configuration as a whole (`portcullis apply` / `export` through the API). */
  config: ["export", "apply"],
} as const;

type PermissionActions = typeof permissionActions;
export type PermissionResource = keyof PermissionActions;
export type Permission = {
  [R in PermissionResource]: `${R}.${PermissionActions[R][number]}`;
}[PermissionResource];

/** All permissions, in declaration order. */
export const allPermissions: readonly Permission[] = Object.entries(permissionActions).flatMap(
  ([resource, actions]) => actions.map((action) => `${resource}.${action}` as Permission),
);

const permissionSet: ReadonlySet<string> = new Set(allPermissions);

export function isPermission(value: string): value is Permission {
  return permissionSet.has(value);
}

export const builtInRoleNames = ["Owner", "Admin", "Security", "Finance", "Developer", "Viewer"] as const;
export type BuiltInRoleName = (typeof builtInRoleNames)[number];

const readPermissions = allPermissions.filter((p) => p.endsWith(".read"));

/** Administration of who may do what and how people sign in: Owner only. */
const ownerOnly: readonly Permission[] = ["role.update", "sso.update"];

/**
 * Built-in roles. Finance governs money (budgets, spend, prices) but never provider credentials; Security
 * governs audit and guardrails but not budgets or spend; a Developer manages
 * virtual keys and is meant to be bound to their own teams; a Viewer only reads.
 * `config.export` (the whole configuration: budgets, prices, routing, every key's grants) and
 * `config.apply` (changes anything in one go) stay with Owner and Admin: every other role is
 * kept from reading or changing some of what the file holds. A custom role can grant export.
 */
export const builtInRoles: Readonly<Record<BuiltInRoleName, readonly Permission[]>> = {
  Owner: allPermissions,
  Admin: allPermissions.filter((p) => !ownerOnly.includes(p)),
  Security: [
    "audit.read",
    "audit.export",
    "guardrail.read",
    "guardrail.update",
    "request_log.read",
    "export_sink.read",
    "export_sink.update",
    "session.revoke",
    "virtual_key.read",
    "virtual_key.revoke",
    "provider.read",
    "routing.read",
    "team.read",
    "customer.read",
    "member.read",
    "role.read",
    "settings.read",
    "service_account.read",
    "fleet.read",
  ],
  Finance: [
    "budget.read",
    "budget.update",
    "spend.read",
    "price.read",
    "price.update",
    "virtual_key.read",
    "provider.read",
    "team.read",
    "customer.read",
    "member.read",
  ],
  Developer: [
    "virtual_key.read",
    "virtual_key.create",
    "virtual_key.update",
    "virtual_key.revoke",
    "budget.read",
    "spend.read",
    "request_log.read",
    "provider.read",
    "price.read",
    "routing.read",
    "team.read",
    "member.read",
  ],
  Viewer: readPermissions,
};

export function isBuiltInRoleName(name: string): name is BuiltInRoleName {
  return (builtInRoleNames as readonly string[]).includes(name);
}

/** A role granted to a principal, resolved to its permissions, with its scope. */
export interface Binding {
  role: string;
  permissions: readonly string[];
  /** `null` = the whole organisation; otherwise the one team it applies to. */
  teamId: string | null;
}

export type PermissionQuery = Permission | { and: readonly PermissionQuery[] } | { or: readonly PermissionQuery[] };

export function and(...queries: PermissionQuery[]): PermissionQuery {
  return { and: queries };
}

export function or(...queries: PermissionQuery[]): PermissionQuery {
  return { or: queries };
}

export interface CheckScope {
  /** The team that owns the resource; omit for organisation-wide resources. */
  teamId?: string | null;
}

function bindingApplies(binding: Binding, teamId: string | null | undefined): boolean {
  if (binding.teamId === null) return true;
  return teamId != null && binding.teamId === teamId;
}

function holds(bindings: readonly Binding[], permission: Permission, teamId: string | null | undefined): boolean {
  return bindings.some((b) => bindingApplies(b, teamId) && b.permissions.includes(permission));
}

/** True when the bindings grant the query for the given scope. Empty and/or lists deny. */
export function can(bindings: readonly Binding[], query: PermissionQuery, scope: CheckScope = {}): boolean {
  if (typeof query === "string") return holds(bindings, query, scope.teamId);
  if ("and" in query) return query.and.length > 0 && query.and.every((q) => can(bindings, q, scope));
  return query.or.some((q) => can(bindings, q, scope));
}

/** Where a permission holds: everywhere, or only inside some teams (possibly none). */
export type PermissionReach = { global: true } | { global: false; teamIds: string[] };

/**
 * The reach of one permission, for expressing authorization inside a query's
 * `where` (e.g. list only virtual keys of the teams returned here).
 */
export function reachOf(bindings: readonly Binding[], permission: Permission): PermissionReach {
  const granting = bindings.filter((b) => b.permissions.includes(permission));
  if (granting.some((b) => b.teamId === null)) return { global: true };
  const teamIds = [...new Set(granting.map((b) => b.teamId).filter((t): t is string => t !== null))];
  return { global: false, teamIds };
}

/** True when the query is granted globally or in at least one team. */
export function canSomewhere(bindings: readonly Binding[], query: PermissionQuery): boolean {
  if (can(bindings, query)) return true;
  const teams = new Set(bindings.map((b) => b.teamId).filter((t): t is string => t !== null));
  return [...teams].some((teamId) => can(bindings, query, { teamId }));
}

/**
 * The permissions a stored role grants. Built-in roles take their permissions from
 * this module so that a release can refine them without a data migration; custom
 * roles keep their stored list, reduced to permissions this version knows.
 */
export function rolePermissions(role: { name: string; builtIn: boolean; permissions: readonly string[] }): Permission[] {
  if (role.builtIn && isBuiltInRoleName(role.name)) return [...builtInRoles[role.name]];
  return role.permissions.filter(isPermission);
}

/**
 * True when the bindings may hand out every permission in `permissions` at `scope`: nobody
 * grants (to a user, an IdP group or a service account) more than they hold there themselves.
 */
export function canGrant(bindings: readonly Binding[], permissions: readonly string[], scope: CheckScope = {}): boolean {
  return permissions.every((p) => isPermission(p) && can(bindings, p, scope));
}

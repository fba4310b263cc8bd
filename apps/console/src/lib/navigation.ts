import { canSomewhere, type Binding, type PermissionQuery } from "@portcullis/policy";

export interface NavItem {
  label: string;
  /** null while the section's page does not exist yet: listed, not linked. */
  href: string | null;
  /** Shown only to viewers who hold this somewhere (globally or in a team). */
  permission: PermissionQuery | null;
}

export const navItems: readonly NavItem[] = [
  { label: "Overview", href: "/", permission: null },
  { label: "Virtual keys", href: null, permission: "virtual_key.read" },
  { label: "Teams", href: null, permission: "team.read" },
  { label: "Budgets", href: null, permission: "budget.read" },
  { label: "Providers", href: null, permission: "provider.read" },
  { label: "Routing", href: null, permission: "routing.read" },
  { label: "Audit log", href: null, permission: "audit.read" },
  { label: "Request logs", href: null, permission: "request_log.read" },
  { label: "Settings", href: null, permission: "settings.read" },
];

export function visibleNavItems(bindings: readonly Binding[]): NavItem[] {
  return navItems.filter((item) => item.permission === null || canSomewhere(bindings, item.permission));
}

/** "Owner", or "Developer (2 teams)": what the header says about the viewer's access. */
export function describeAccess(bindings: readonly Binding[]): string {
  const global = [...new Set(bindings.filter((b) => b.teamId === null).map((b) => b.role))];
  const scoped = bindings.filter((b) => b.teamId !== null);
  const parts = [...global];
  const byRole = new Map<string, number>();
  for (const b of scoped) byRole.set(b.role, (byRole.get(b.role) ?? 0) + 1);
  for (const [role, count] of byRole) parts.push(`${role} (${count} team${count === 1 ? "" : "s"})`);
  return parts.join(", ");
}

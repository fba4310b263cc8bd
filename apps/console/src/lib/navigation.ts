import { allPermissions, canSomewhere, or, reachOf, type Binding, type PermissionQuery } from "@portcullis/policy";
import type { ReachMap } from "./reach";

export interface NavItem {
  label: string;
  /** null while the section's page does not exist yet: listed, not linked. */
  href: string | null;
  /** Shown only to viewers who hold this somewhere (globally or in a team). */
  permission: PermissionQuery | null;
}

export const navItems: readonly NavItem[] = [
  { label: "Overview", href: "/", permission: null },
  { label: "Virtual keys", href: "/keys", permission: "virtual_key.read" },
  { label: "Teams", href: "/teams", permission: "team.read" },
  { label: "Customers", href: "/customers", permission: "customer.read" },
  { label: "Budgets", href: "/budgets", permission: "budget.read" },
  { label: "Providers", href: "/providers", permission: "provider.read" },
  { label: "Routing", href: "/routing", permission: "routing.read" },
  { label: "Guardrails", href: "/guardrails", permission: "guardrail.read" },
  { label: "Prices", href: "/prices", permission: "price.read" },
  { label: "Request logs", href: "/requests", permission: "request_log.read" },
  { label: "Audit log", href: "/audit", permission: "audit.read" },
  { label: "Fleet", href: "/fleet", permission: "fleet.read" },
  { label: "Settings", href: "/settings", permission: or("settings.read", "role.read", "export_sink.read", "service_account.read") },
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

/** The viewer's reach for every permission they hold somewhere (for the browser: see lib/reach.ts). */
export function reachMapOf(bindings: readonly Binding[]): ReachMap {
  const map: ReachMap = {};
  for (const p of allPermissions) {
    const reach = reachOf(bindings, p);
    if (reach.global) map[p] = "all";
    else if (reach.teamIds.length) map[p] = reach.teamIds;
  }
  return map;
}

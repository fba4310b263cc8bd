import { describe, expect, it } from "vitest";
import {
  allPermissions,
  and,
  builtInRoles,
  can,
  canGrant,
  canSomewhere,
  isPermission,
  or,
  reachOf,
  rolePermissions,
  type Binding,
  type BuiltInRoleName,
  type Permission,
} from "./rbac";

function global(role: BuiltInRoleName): Binding {
  return { role, permissions: builtInRoles[role], teamId: null };
}

function inTeam(role: BuiltInRoleName, teamId: string): Binding {
  return { role, permissions: builtInRoles[role], teamId };
}

describe("permissions", () => {
  it("are unique resource.action strings", () => {
    expect(new Set(allPermissions).size).toBe(allPermissions.length);
    for (const p of allPermissions) expect(p).toMatch(/^[a-z_]+\.[a-z_]+$/);
  });

  it("recognises known permissions only", () => {
    expect(isPermission("virtual_key.create")).toBe(true);
    expect(isPermission("virtual_key.delete")).toBe(false);
    expect(isPermission("*")).toBe(false);
  });
});

// The role matrix: what each built-in role must and must not be able to do globally.
const matrix: Record<BuiltInRoleName, { allowed: Permission[]; denied: Permission[] }> = {
  Owner: { allowed: allPermissions.slice(), denied: [] },
  Admin: {
    allowed: ["provider_credential.update", "budget.update", "virtual_key.revoke", "session.revoke", "member.update", "config.export", "config.apply"],
    denied: ["role.update", "sso.update"],
  },
  Security: {
    allowed: ["audit.read", "audit.export", "guardrail.read", "guardrail.update", "session.revoke", "request_log.read"],
    denied: ["budget.read", "budget.update", "spend.read", "provider_credential.update", "role.update", "settings.update", "config.export", "config.apply"],
  },
  Finance: {
    allowed: ["budget.read", "budget.update", "spend.read"],
    denied: ["provider_credential.update", "provider.update", "guardrail.update", "audit.export", "virtual_key.create", "config.export", "config.apply"],
  },
  Developer: {
    allowed: ["virtual_key.read", "virtual_key.create", "virtual_key.update", "virtual_key.revoke"],
    denied: ["budget.update", "provider.update", "provider_credential.update", "audit.read", "member.update", "role.update", "config.export", "config.apply"],
  },
  Viewer: {
    allowed: ["virtual_key.read", "budget.read", "audit.read", "spend.read", "fleet.read"],
    denied: allPermissions.filter((p) => !p.endsWith(".read")),
  },
};

describe("built-in role matrix", () => {
  for (const [role, { allowed, denied }] of Object.entries(matrix) as [BuiltInRoleName, (typeof matrix)["Owner"]][]) {
    it(`${role} has exactly its grants`, () => {
      const bindings = [global(role)];
      for (const p of allowed) expect(can(bindings, p), `${role} should have ${p}`).toBe(true);
      for (const p of denied) expect(can(bindings, p), `${role} must not have ${p}`).toBe(false);
    });
  }

  it("Finance never touches provider credentials, in any scope", () => {
    for (const p of builtInRoles.Finance) expect(p.startsWith("provider_credential.")).toBe(false);
  });

  it("Viewer holds only read permissions", () => {
    expect(builtInRoles.Viewer.length).toBeGreaterThan(0);
    for (const p of builtInRoles.Viewer) expect(p.endsWith(".read")).toBe(true);
  });
});

describe("scopes", () => {
  const dev = [inTeam("Developer", "team_a")];

  it("a team-scoped binding applies to its own team only", () => {
    expect(can(dev, "virtual_key.create", { teamId: "team_a" })).toBe(true);
    expect(can(dev, "virtual_key.create", { teamId: "team_b" })).toBe(false);
  });

  it("a team-scoped binding never grants an organisation-wide check", () => {
    expect(can(dev, "virtual_key.create")).toBe(false);
    expect(can(dev, "virtual_key.create", { teamId: null })).toBe(false);
  });

  it("a global binding applies to every team", () => {
    expect(can([global("Admin")], "virtual_key.create", { teamId: "team_z" })).toBe(true);
  });

  it("no bindings deny everything", () => {
    for (const p of allPermissions) expect(can([], p)).toBe(false);
  });

  it("reachOf lists the teams where a permission holds", () => {
    const bindings = [inTeam("Developer", "team_a"), inTeam("Developer", "team_b"), inTeam("Viewer", "team_c")];
    expect(reachOf(bindings, "virtual_key.create")).toEqual({ global: false, teamIds: ["team_a", "team_b"] });
    expect(reachOf([...bindings, global("Viewer")], "virtual_key.read")).toEqual({ global: true });
    expect(reachOf([global("Viewer")], "virtual_key.create")).toEqual({ global: false, teamIds: [] });
  });

  it("canSomewhere is true when any one team grants the whole query", () => {
    expect(canSomewhere(dev, "spend.read")).toBe(true);
    expect(canSomewhere(dev, "audit.read")).toBe(false);
    const split = [inTeam("Finance", "team_a"), inTeam("Security", "team_b")];
    expect(canSomewhere(split, and("budget.update", "audit.read"))).toBe(false);
  });
});

describe("combinators", () => {
  const finance = [global("Finance")];

  it("or grants when any branch holds", () => {
    expect(can(finance, or("fleet.read", "spend.read"))).toBe(true);
    expect(can(finance, or("fleet.read", "audit.read"))).toBe(false);
  });

  it("and grants only when every branch holds", () => {
    expect(can(finance, and("budget.read", "budget.update"))).toBe(true);
    expect(can(finance, and("budget.read", "provider_credential.update"))).toBe(false);
  });

  it("nests", () => {
    expect(can(finance, and("spend.read", or("audit.read", "budget.update")))).toBe(true);
    expect(can(finance, and("spend.read", or("audit.read", "guardrail.update")))).toBe(false);
  });

  it("empty and/or deny", () => {
    expect(can([global("Owner")], and())).toBe(false);
    expect(can([global("Owner")], or())).toBe(false);
  });
});

describe("rolePermissions", () => {
  it("takes built-in roles from code, ignoring stale stored lists", () => {
    expect(rolePermissions({ name: "Finance", builtIn: true, permissions: ["provider_credential.update"] })).toEqual(
      [...builtInRoles.Finance],
    );
  });

  it("keeps a custom role's known permissions and drops unknown ones", () => {
    expect(rolePermissions({ name: "Auditor", builtIn: false, permissions: ["audit.read", "audit.delete"] })).toEqual([
      "audit.read",
    ]);
  });

  it("does not treat a custom role named like a built-in one as built in", () => {
    expect(rolePermissions({ name: "Owner", builtIn: false, permissions: ["team.read"] })).toEqual(["team.read"]);
  });
});

describe("canGrant", () => {
  it("lets a holder hand out what they hold, where they hold it", () => {
    expect(canGrant([global("Admin")], builtInRoles.Finance)).toBe(true);
    expect(canGrant([inTeam("Developer", "team_a")], builtInRoles.Viewer.filter((p) => builtInRoles.Developer.includes(p)), { teamId: "team_a" })).toBe(true);
  });

  it("refuses escalation: Admin cannot grant Owner, a team binding cannot grant globally", () => {
    expect(canGrant([global("Admin")], builtInRoles.Owner)).toBe(false);
    expect(canGrant([inTeam("Developer", "team_a")], ["virtual_key.read"])).toBe(false);
    expect(canGrant([inTeam("Developer", "team_a")], ["virtual_key.read"], { teamId: "team_b" })).toBe(false);
  });

  it("refuses unknown permission strings", () => {
    expect(canGrant([global("Owner")], ["audit.delete"])).toBe(false);
  });
});

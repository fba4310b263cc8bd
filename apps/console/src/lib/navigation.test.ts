import { builtInRoles, type Binding } from "@portcullis/policy";
import { describe, expect, it } from "vitest";
import { isCurrentSection } from "./nav-match";
import { describeAccess, navItems, reachMapOf, visibleNavItems } from "./navigation";

const owner: Binding = { role: "Owner", permissions: builtInRoles.Owner, teamId: null };
const finance: Binding = { role: "Finance", permissions: builtInRoles.Finance, teamId: null };
const dev = (teamId: string): Binding => ({ role: "Developer", permissions: builtInRoles.Developer, teamId });

describe("visibleNavItems", () => {
  it("shows an Owner every section", () => {
    expect(visibleNavItems([owner]).map((i) => i.label)).toEqual(navItems.map((i) => i.label));
  });

  it("hides sections a role cannot read", () => {
    const labels = visibleNavItems([finance]).map((i) => i.label);
    expect(labels).toContain("Budgets");
    expect(labels).not.toContain("Audit log");
    expect(labels).not.toContain("Routing");
    expect(labels).not.toContain("Guardrails");
  });

  it("counts team-scoped grants", () => {
    expect(visibleNavItems([dev("team_a")]).map((i) => i.label)).toContain("Virtual keys");
  });

  it("shows a developer their own work, not the organisation's administration", () => {
    const labels = visibleNavItems([dev("team_a")]).map((i) => i.label);
    expect(labels).toEqual(expect.arrayContaining(["Virtual keys", "Budgets", "Request logs"]));
    expect(labels).not.toContain("Audit log");
    expect(labels).not.toContain("Settings");
    expect(labels).not.toContain("Customers");
  });

  it("links every section to its page", () => {
    expect(navItems.filter((i) => i.href === null)).toEqual([]);
    expect(new Set(navItems.map((i) => i.href)).size).toBe(navItems.length);
  });
});

describe("isCurrentSection", () => {
  it("matches a section and its sub-pages; the overview only itself", () => {
    expect(isCurrentSection("/teams", "/teams/team_1")).toBe(true);
    expect(isCurrentSection("/teams", "/teamsx")).toBe(false);
    expect(isCurrentSection("/", "/keys")).toBe(false);
    expect(isCurrentSection("/", "/")).toBe(true);
  });
});

describe("describeAccess", () => {
  it("lists global roles, then team roles with their team count", () => {
    expect(describeAccess([owner])).toBe("Owner");
    expect(describeAccess([finance, dev("team_a"), dev("team_b")])).toBe("Finance, Developer (2 teams)");
    expect(describeAccess([dev("team_a")])).toBe("Developer (1 team)");
  });
});

describe("reachMapOf", () => {
  it("lists where each held permission applies, and nothing else", () => {
    const map = reachMapOf([finance, dev("team_a"), dev("team_b")]);
    expect(map["budget.update"]).toBe("all");
    expect(map["virtual_key.create"]).toEqual(["team_a", "team_b"]);
    expect(map["audit.read"]).toBeUndefined();
  });
});

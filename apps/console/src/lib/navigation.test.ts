import { builtInRoles, type Binding } from "@portcullis/policy";
import { describe, expect, it } from "vitest";
import { describeAccess, navItems, visibleNavItems } from "./navigation";

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
  });

  it("counts team-scoped grants", () => {
    expect(visibleNavItems([dev("team_a")]).map((i) => i.label)).toContain("Virtual keys");
  });

  it("links only to pages that exist", () => {
    expect(navItems.filter((i) => i.href !== null).map((i) => i.href)).toEqual(["/"]);
  });
});

describe("describeAccess", () => {
  it("lists global roles, then team roles with their team count", () => {
    expect(describeAccess([owner])).toBe("Owner");
    expect(describeAccess([finance, dev("team_a"), dev("team_b")])).toBe("Finance, Developer (2 teams)");
    expect(describeAccess([dev("team_a")])).toBe("Developer (1 team)");
  });
});

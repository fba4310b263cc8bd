import { describe, expect, it } from "vitest";
import { reachCan, reachSomewhere } from "./reach";

describe("reach map checks", () => {
  const map = { "budget.update": "all" as const, "virtual_key.create": ["team_a"], "audit.read": [] };

  it("a global grant holds everywhere", () => {
    expect(reachCan(map, "budget.update")).toBe(true);
    expect(reachCan(map, "budget.update", "team_z")).toBe(true);
  });

  it("a team grant holds in its team only, never organisation-wide", () => {
    expect(reachCan(map, "virtual_key.create", "team_a")).toBe(true);
    expect(reachCan(map, "virtual_key.create", "team_b")).toBe(false);
    expect(reachCan(map, "virtual_key.create")).toBe(false);
    expect(reachSomewhere(map, "virtual_key.create")).toBe(true);
  });

  it("no grant, or an empty one, holds nowhere", () => {
    expect(reachSomewhere(map, "audit.read")).toBe(false);
    expect(reachSomewhere(map, "role.update")).toBe(false);
    expect(reachCan(map, "role.update", "team_a")).toBe(false);
  });
});

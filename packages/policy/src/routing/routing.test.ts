import { describe, expect, it } from "vitest";
import { matchCovers, ruleMatches, type RouteRequest } from "./match";
import { planTargets, type TargetSignals } from "./plan";
import { routingRuleSpecSchema, type RouteGroup, type RouteTarget } from "./schema";
import { validateRoutingRules } from "./validate";

const t = (provider: string, model = "gpt-4o", weight = 1): RouteTarget => ({ provider, model, weight });
const healthy: TargetSignals = { healthy: () => true, latencyMs: () => undefined, cost: () => undefined };
const seq = (...xs: number[]) => {
  let i = 0;
  return () => xs[i++ % xs.length]!;
};

describe("planTargets", () => {
  it("keeps fallback order and puts unhealthy targets last", () => {
    const g: RouteGroup = { mode: "fallback", targets: [t("a"), t("b"), t("c")] };
    expect(planTargets(g, healthy).map((x) => x.provider)).toEqual(["a", "b", "c"]);
    const bHealthyOnly = { ...healthy, healthy: (x: RouteTarget) => x.provider !== "a" };
    expect(planTargets(g, bHealthyOnly).map((x) => x.provider)).toEqual(["b", "c", "a"]);
  });

  it("honours weights within statistical bounds and keeps the rest as fallbacks", () => {
    const g: RouteGroup = { mode: "weighted", targets: [t("east", "gpt-4o", 3), t("west", "gpt-4o", 1)] };
    const n = 20_000;
    let east = 0;
    for (let i = 0; i < n; i++) {
      const plan = planTargets(g, healthy);
      expect(plan).toHaveLength(2);
      if (plan[0]!.provider === "east") east++;
    }
    // Expected 75 %; 6 standard deviations of a binomial(20 000, 0.75) is ~1.8 %.
    expect(Math.abs(east / n - 0.75)).toBeLessThan(0.018);
  });

  it("nests a weighted group as one fallback step", () => {
    const g: RouteGroup = { mode: "fallback", targets: [{ mode: "weighted", targets: [t("az-east"), t("az-west")] }, t("openai")] };
    const plan = planTargets(g, healthy, seq(0.9, 0.1)).map((x) => x.provider);
    expect(plan.slice(0, 2).sort()).toEqual(["az-east", "az-west"]);
    expect(plan[2]).toBe("openai");
  });

  it("orders by latency or cost, unknown last", () => {
    const signals: TargetSignals = {
      healthy: () => true,
      latencyMs: (x) => ({ a: 300, b: 120 } as Record<string, number>)[x.provider],
      cost: (x) => ({ a: 1, c: 5 } as Record<string, number>)[x.provider],
    };
    expect(planTargets({ mode: "least-latency", targets: [t("a"), t("b"), t("c")] }, signals).map((x) => x.provider)).toEqual(["b", "a", "c"]);
    expect(planTargets({ mode: "lowest-cost", targets: [t("c"), t("b"), t("a")] }, signals).map((x) => x.provider)).toEqual(["a", "c", "b"]);
  });
});

describe("rule matching", () => {
  const req: RouteRequest = {
    model: "gpt-4o-mini", virtualKey: { id: "vk_1", name: "nb", metadata: { tier: "gold" } }, team: { id: "team_1", slug: "ml" },
    tenant: "acme", header: (n) => (n === "x-region" ? "eu-west" : undefined),
  };
  it("ANDs every condition present", () => {
    expect(ruleMatches({}, req)).toBe(true);
    expect(ruleMatches({ models: ["gpt-4o*"], teams: ["ml"], tenants: ["ac*"], headers: { "x-region": "eu-*" }, metadata: { tier: "gold" } }, req)).toBe(true);
    expect(ruleMatches({ models: ["gpt-4o*"], teams: ["other"] }, req)).toBe(false);
    expect(ruleMatches({ headers: { "x-region": "us-*" } }, req)).toBe(false);
    expect(ruleMatches({ customers: ["acme"] }, req)).toBe(false);
  });
  it("knows when one match covers another", () => {
    expect(matchCovers({}, { models: ["x"] })).toBe(true);
    expect(matchCovers({ models: ["gpt-*"] }, { models: ["gpt-4o"] })).toBe(true);
    expect(matchCovers({ models: ["gpt-4o"] }, { models: ["gpt-*"] })).toBe(false);
    expect(matchCovers({ models: ["gpt-*"] }, {})).toBe(false);
  });
});

describe("rule validation", () => {
  const catalog = { providers: new Map([["openai", new Set(["prod"])], ["azure", new Set(["east"])]]) };
  const rule = (over: Record<string, unknown>) => routingRuleSpecSchema.parse({ name: "r", strategy: { mode: "fallback", targets: [t("openai")] }, ...over });
  it("names unknown providers and keys, empty groups and unreachable rules", () => {
    const problems = validateRoutingRules([
      rule({ name: "catch-all", priority: 10 }),
      rule({ name: "shadowed", priority: 20, match: { models: ["gpt-4o"] } }),
      rule({ name: "bad-targets", priority: 5, match: { models: ["x"] }, strategy: { mode: "weighted", targets: [{ provider: "nope", model: "m" }, { provider: "azure", key: "west", model: "m" }] } }),
    ], catalog);
    expect(problems).toEqual([
      { rule: "bad-targets", path: ["strategy", "targets", 0, "provider"], message: 'unknown provider "nope"' },
      { rule: "bad-targets", path: ["strategy", "targets", 1, "key"], message: 'provider "azure" has no key "west"' },
      { rule: "shadowed", path: ["match"], message: 'unreachable: rule "catch-all" (priority 10) matches every request this rule matches' },
    ]);
    expect(() => rule({ strategy: { mode: "fallback", targets: [] } })).toThrow(/at least one target/);
  });
});

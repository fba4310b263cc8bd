import { matchCovers } from "./match";
import { isGroup, type RouteNode, type RoutingRuleSpec } from "./schema";

export interface RoutingCatalog {
  /** provider name -> its key names */
  providers: Map<string, Set<string>>;
}

export interface RuleProblem {
  rule: string;
  path: (string | number)[];
  message: string;
}

/**
 * Checks rules before they are saved: every target names a configured provider (and
 * key), groups are not empty, weights leave something to pick, and no rule is shadowed
 * by an earlier one whose match covers it.
 */
export function validateRoutingRules(rules: RoutingRuleSpec[], catalog: RoutingCatalog): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const walk = (rule: string, node: RouteNode, path: (string | number)[]) => {
    if (isGroup(node)) {
      if (node.targets.length === 0) problems.push({ rule, path, message: "empty target list" });
      if (node.mode === "weighted" && node.targets.every((t) => (isGroup(t) ? t.weight ?? 1 : t.weight) === 0)) {
        problems.push({ rule, path, message: "every target of a weighted group has weight 0" });
      }
      node.targets.forEach((t, i) => walk(rule, t, [...path, "targets", i]));
      return;
    }
    const keys = catalog.providers.get(node.provider);
    if (!keys) problems.push({ rule, path: [...path, "provider"], message: `unknown provider "${node.provider}"` });
    else if (node.key && !keys.has(node.key)) problems.push({ rule, path: [...path, "key"], message: `provider "${node.provider}" has no key "${node.key}"` });
  };
  const active = rules.filter((r) => r.enabled).sort((a, b) => a.priority - b.priority || a.name.localeCompare(b.name));
  for (const r of rules) walk(r.name, r.strategy, ["strategy"]);
  active.forEach((r, i) => {
    const shadow = active.slice(0, i).find((earlier) => matchCovers(earlier.match, r.match));
    if (shadow) problems.push({ rule: r.name, path: ["match"], message: `unreachable: rule "${shadow.name}" (priority ${shadow.priority}) matches every request this rule matches` });
  });
  return problems;
}

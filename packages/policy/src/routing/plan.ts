import { isGroup, type RouteGroup, type RouteNode, type RouteTarget } from "./schema";

/** What the planner knows about a target's health and price. */
export interface TargetSignals {
  /** False while its circuit is open: planned last, tried only if nothing else is left. */
  healthy(t: RouteTarget): boolean;
  /** Smoothed latency in ms, when known. */
  latencyMs(t: RouteTarget): number | undefined;
  /** Cost of a typical request (any consistent unit), when known. */
  cost(t: RouteTarget): number | undefined;
}

const weightOf = (n: RouteNode) => (isGroup(n) ? n.weight ?? 1 : n.weight);

/** Weighted random order without replacement (Efraimidis–Spirakis keys). */
function weightedOrder<T>(items: T[], weight: (t: T) => number, random: () => number): T[] {
  return items
    .map((item) => ({ item, k: weight(item) > 0 ? Math.pow(random() || Number.MIN_VALUE, 1 / weight(item)) : -1 }))
    .sort((a, b) => b.k - a.k)
    .map((x) => x.item);
}

/**
 * The order in which to try targets: the strategy's first choice first, then its
 * fallbacks. Weighted picks by weight (and keeps the rest, by weight, as fallbacks);
 * fallback keeps the configured order; least-latency and lowest-cost sort by the
 * signals (unknown values last). Unhealthy targets move to the end.
 */
export function planTargets(root: RouteGroup, signals: TargetSignals, random: () => number = Math.random): RouteTarget[] {
  const expand = (group: RouteGroup): RouteTarget[] => {
    let nodes = group.targets;
    if (group.mode === "weighted") nodes = weightedOrder(nodes, weightOf, random);
    const flat = nodes.flatMap((n) => (isGroup(n) ? expand(n) : [n]));
    if (group.mode === "least-latency" || group.mode === "lowest-cost") {
      const score = (t: RouteTarget) => (group.mode === "least-latency" ? signals.latencyMs(t) : signals.cost(t)) ?? Number.POSITIVE_INFINITY;
      return flat.map((t, i) => ({ t, i, s: score(t) })).sort((a, b) => a.s - b.s || a.i - b.i).map((x) => x.t);
    }
    return flat;
  };
  const ordered = expand(root);
  const seen = new Set<string>();
  const unique = ordered.filter((t) => {
    const id = `${t.provider}|${t.key ?? ""}|${t.model}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  return [...unique.filter((t) => signals.healthy(t)), ...unique.filter((t) => !signals.healthy(t))];
}

import { globMatch } from "../authorize";
import type { RouteMatch } from "./schema";

/** What a rule can match on; names and ids are both accepted for keys, teams and customers. */
export interface RouteRequest {
  model: string;
  virtualKey: { id: string; name: string; metadata: Record<string, unknown> };
  team?: { id: string; slug: string };
  customer?: { id: string; name: string };
  tenant?: string;
  header(name: string): string | undefined;
}

/** Every condition present must hold (AND); an empty match matches everything. */
export function ruleMatches(match: RouteMatch, req: RouteRequest): boolean {
  if (match.models && !match.models.some((p) => globMatch(p, req.model))) return false;
  if (match.virtualKeys && !match.virtualKeys.some((k) => k === req.virtualKey.id || k === req.virtualKey.name)) return false;
  if (match.teams && !(req.team && match.teams.some((t) => t === req.team!.id || t === req.team!.slug))) return false;
  if (match.customers && !(req.customer && match.customers.some((c) => c === req.customer!.id || c === req.customer!.name))) return false;
  if (match.tenants && !(req.tenant && match.tenants.some((t) => globMatch(t, req.tenant!)))) return false;
  for (const [name, pattern] of Object.entries(match.headers ?? {})) {
    const v = req.header(name);
    if (v === undefined || !globMatch(pattern, v)) return false;
  }
  for (const [k, v] of Object.entries(match.metadata ?? {})) {
    if (String(req.virtualKey.metadata[k] ?? "") !== v) return false;
  }
  return true;
}

/** True when `a` matches every request `b` matches (so a rule `b` after `a` can never run). */
export function matchCovers(a: RouteMatch, b: RouteMatch): boolean {
  const listCovers = (x: string[] | undefined, y: string[] | undefined) => x === undefined || (y !== undefined && y.every((v) => x.some((p) => globMatch(p, v))));
  const mapCovers = (x: Record<string, string> | undefined, y: Record<string, string> | undefined) =>
    x === undefined || Object.entries(x).every(([k, p]) => y?.[k] !== undefined && globMatch(p, y[k]!));
  return (
    listCovers(a.models, b.models) && listCovers(a.virtualKeys, b.virtualKeys) && listCovers(a.teams, b.teams) &&
    listCovers(a.customers, b.customers) && listCovers(a.tenants, b.tenants) && mapCovers(a.headers, b.headers) &&
    Object.entries(a.metadata ?? {}).every(([k, v]) => b.metadata?.[k] === v)
  );
}

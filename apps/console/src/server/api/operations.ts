/**
 * The management API: each operation is a REST mapping onto one tRPC procedure, so it
 * runs the same input validation, the same permission check and the same audited
 * transaction as the console. The OpenAPI document is generated from this list and
 * from the procedures' own input schemas and declared permissions.
 */
export interface ApiOperation {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  /** OpenAPI path under /api/v1, with {id}. */
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  /** The tRPC procedure it calls. */
  procedure: string;
  /** Query parameters that are numbers (query strings carry text). */
  numericQuery?: string[];
  /** Success status (default 200). */
  status?: 200 | 201;
  /** Input the path itself implies (e.g. /disable sets status "disabled"); callers cannot override it. */
  fixedInput?: Record<string, unknown>;
  /** Error statuses particular to this operation, beyond the ones every operation can answer. */
  errors?: Record<string, string>;
}

export const apiOperations: readonly ApiOperation[] = [
  { method: "GET", path: "/virtual-keys", operationId: "listVirtualKeys", summary: "List virtual keys (of the teams the token may read keys in)", tag: "Virtual keys", procedure: "virtualKeys.list", numericQuery: ["limit"] },
  { method: "POST", path: "/virtual-keys", operationId: "createVirtualKey", summary: "Create a virtual key; the response carries its secret, once", tag: "Virtual keys", procedure: "virtualKeys.create", status: 201 },
  { method: "GET", path: "/virtual-keys/{id}", operationId: "getVirtualKey", summary: "Get a virtual key", tag: "Virtual keys", procedure: "virtualKeys.get" },
  { method: "PATCH", path: "/virtual-keys/{id}", operationId: "updateVirtualKey", summary: "Edit a key's models, limits and bindings", tag: "Virtual keys", procedure: "virtualKeys.update" },
  { method: "POST", path: "/virtual-keys/{id}/rotate", operationId: "rotateVirtualKey", summary: "Rotate a key: a new secret, the old one valid for the grace period", tag: "Virtual keys", procedure: "virtualKeys.rotate", status: 201 },
  { method: "POST", path: "/virtual-keys/{id}/revoke", operationId: "revokeVirtualKey", summary: "Revoke a key at once", tag: "Virtual keys", procedure: "virtualKeys.revoke" },
  { method: "POST", path: "/virtual-keys/{id}/disable", operationId: "disableVirtualKey", summary: "Disable a key until it is enabled again", tag: "Virtual keys", procedure: "virtualKeys.setStatus", fixedInput: { status: "disabled" } },
  { method: "POST", path: "/virtual-keys/{id}/enable", operationId: "enableVirtualKey", summary: "Enable a disabled key", tag: "Virtual keys", procedure: "virtualKeys.setStatus", fixedInput: { status: "active" } },
  { method: "GET", path: "/teams", operationId: "listTeams", summary: "List teams", tag: "Teams", procedure: "teams.list" },
  { method: "POST", path: "/teams", operationId: "createTeam", summary: "Create a team", tag: "Teams", procedure: "teams.create", status: 201 },
  { method: "GET", path: "/teams/{id}", operationId: "getTeam", summary: "Get a team", tag: "Teams", procedure: "teams.get" },
  { method: "PATCH", path: "/teams/{id}", operationId: "updateTeam", summary: "Update a team", tag: "Teams", procedure: "teams.update" },
  { method: "DELETE", path: "/teams/{id}", operationId: "deleteTeam", summary: "Delete a team without keys", tag: "Teams", procedure: "teams.delete" },
  { method: "GET", path: "/budgets", operationId: "listBudgets", summary: "List budgets with current-period spend and next reset", tag: "Budgets", procedure: "budgets.list" },
  { method: "POST", path: "/budgets", operationId: "createBudget", summary: "Create a budget", tag: "Budgets", procedure: "budgets.create", status: 201 },
  { method: "PATCH", path: "/budgets/{id}", operationId: "updateBudget", summary: "Update a budget", tag: "Budgets", procedure: "budgets.update" },
  { method: "DELETE", path: "/budgets/{id}", operationId: "deleteBudget", summary: "Delete a budget", tag: "Budgets", procedure: "budgets.delete" },
  { method: "GET", path: "/guardrail-policies", operationId: "listGuardrailPolicies", summary: "List guardrail policies (global ones need an organisation-wide grant)", tag: "Guardrails", procedure: "guardrails.list" },
  { method: "POST", path: "/guardrail-policies", operationId: "createGuardrailPolicy", summary: "Create a guardrail policy; its config is validated for its kind", tag: "Guardrails", procedure: "guardrails.create", status: 201 },
  { method: "PATCH", path: "/guardrail-policies/{id}", operationId: "updateGuardrailPolicy", summary: "Update a guardrail policy (the merged policy is validated again)", tag: "Guardrails", procedure: "guardrails.update" },
  { method: "DELETE", path: "/guardrail-policies/{id}", operationId: "deleteGuardrailPolicy", summary: "Delete a guardrail policy", tag: "Guardrails", procedure: "guardrails.delete" },
  { method: "GET", path: "/fleet", operationId: "getFleetStatus", summary: "Configuration version, newest signed snapshot and which gateways run which version", tag: "Fleet", procedure: "fleet.status" },
  { method: "GET", path: "/audit-events", operationId: "listAuditEvents", summary: "List audit events, newest first", tag: "Audit", procedure: "audit.list", numericQuery: ["limit"] },
  { method: "GET", path: "/audit-events/{id}", operationId: "getAuditEvent", summary: "Get an audit event with its before/after", tag: "Audit", procedure: "audit.get" },
  { method: "GET", path: "/config/export", operationId: "exportConfig", summary: "The whole configuration as a declarative YAML file, `{ yaml }`; secrets never appear", tag: "Configuration", procedure: "config.export" },
  {
    method: "POST",
    path: "/config/apply",
    operationId: "applyConfig",
    summary: "Plan a declarative YAML file and, unless `dryRun`, apply it in one audited transaction; answers the changes, the new version and generated keys (once)",
    tag: "Configuration",
    procedure: "config.applyYaml",
    errors: { "422": "The file is invalid: the message names each problem as `file:line:column: path: reason`" },
  },
];

/** Finds the operation for a method and a path under /api/v1 ("/virtual-keys/vk_1/rotate"), with its path parameters. */
export function matchOperation(method: string, path: string): { op: ApiOperation; params: Record<string, string> } | { allowed: string[] } | null {
  const parts = path.split("/").filter(Boolean);
  const allowed: string[] = [];
  for (const op of apiOperations) {
    const pattern = op.path.split("/").filter(Boolean);
    if (pattern.length !== parts.length) continue;
    const params: Record<string, string> = {};
    const hit = pattern.every((seg, i) => {
      const m = /^\{(\w+)\}$/.exec(seg);
      if (m) {
        params[m[1]!] = decodeURIComponent(parts[i]!);
        return true;
      }
      return seg === parts[i];
    });
    if (!hit) continue;
    if (op.method === method) return { op, params };
    allowed.push(op.method);
  }
  return allowed.length ? { allowed } : null;
}

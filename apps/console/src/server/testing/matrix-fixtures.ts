import type { MatrixSeed, Side } from "./matrix-seed";

/**
 * A valid input for every tRPC procedure, acting on team `side`'s rows where the
 * procedure is about a team. The matrix test fails for a procedure without an entry here,
 * so a new procedure cannot escape the role x procedure check.
 */
export type Fixture = (s: MatrixSeed, side: Side) => Promise<unknown> | unknown;

const none: Fixture = () => undefined;

export const fixtures: Record<string, Fixture> = {
  "me.get": none,
  "overview.summary": none,
  "overview.charts": () => ({ days: 7 }),

  "virtualKeys.list": () => ({}),
  "virtualKeys.get": async (s, side) => ({ id: await s.newKey(side) }),
  "virtualKeys.formOptions": none,
  "virtualKeys.create": (s, side) => ({ name: s.unique("minted"), teamId: s.teams[side], allowedModels: ["gpt-4o-mini"] }),
  "virtualKeys.update": async (s, side) => ({ id: await s.newKey(side), allowedModels: ["gpt-4o"], rateLimit: { rpm: 10, tpm: null } }),
  "virtualKeys.rotate": async (s, side) => ({ id: await s.newKey(side), graceHours: 1 }),
  "virtualKeys.revoke": async (s, side) => ({ id: await s.newKey(side) }),
  "virtualKeys.setStatus": async (s, side) => ({ id: await s.newKey(side), status: "disabled" }),

  "teams.list": none,
  "teams.get": (s, side) => ({ id: s.teams[side] }),
  "teams.create": (s) => ({ name: s.unique("Team"), slug: s.unique("new-team") }),
  "teams.update": (s, side) => ({ id: s.teams[side], description: s.unique("desc") }),
  "teams.delete": async (s) => ({ id: await s.newTeam() }),
  "teams.members.list": (s, side) => ({ teamId: s.teams[side] }),
  "teams.members.add": (s, side) => ({ teamId: s.teams[side], email: `${s.unique("member")}@matrix.test`, roleId: s.roles.Viewer }),
  "teams.members.remove": async (s, side) => ({ teamId: s.teams[side], userId: await s.memberOf(side) }),

  "customers.list": none,
  "customers.create": (s) => ({ name: s.unique("Customer") }),
  "customers.update": (s) => ({ id: s.customer, name: s.unique("Customer") }),
  "customers.delete": async (s) => ({ id: await s.newCustomer() }),

  "budgets.list": () => ({}),
  "budgets.scopeOptions": none,
  "budgets.create": async (s, side) => ({ scopeType: "virtual_key", scopeId: await s.newKey(side), limitUsd: 25, period: "month" }),
  "budgets.update": async (s, side) => ({ id: await s.newKeyBudget(side), limitUsd: 30 }),
  "budgets.delete": async (s, side) => ({ id: await s.newKeyBudget(side) }),
  "rateLimits.list": none,
  "rateLimits.create": async (s, side) => ({ scopeType: "virtual_key", scopeId: await s.newKey(side), rpm: 100, tpm: null }),
  "rateLimits.update": async (s, side) => ({ id: await s.newKeyRateLimit(side), rpm: 120 }),
  "rateLimits.delete": async (s, side) => ({ id: await s.newKeyRateLimit(side) }),

  "providers.list": none,
  "providers.create": (s) => ({ name: s.unique("prov"), type: "openai", baseUrl: "https://api.openai.com/v1" }),
  "providers.update": (s) => ({ id: s.provider, enabled: true }),
  "providers.delete": async (s) => ({ id: await s.newProvider() }),
  "providers.keys.create": (s) => ({ providerId: s.provider, name: s.unique("pk"), credential: { kind: "value", value: "sk-matrix-secret-value" } }),
  "providers.keys.update": async (s) => ({ id: await s.newProviderKey(), weight: 3 }),
  "providers.keys.delete": async (s) => ({ id: await s.newProviderKey() }),
  "providers.keys.test": (s) => ({ id: s.providerKey }),

  "prices.list": () => ({}),
  "prices.createOverride": (s) => ({ provider: "openai", model: s.unique("gpt-x"), inputPerMTok: 1.5, outputPerMTok: 6 }),
  "prices.deleteOverride": async (s) => ({ id: await s.newPriceOverride() }),
  "routing.list": none,
  "routing.save": (s) => ({
    name: s.unique("rule"),
    match: { models: [s.unique("model")] },
    mode: "fallback",
    targets: [{ provider: s.providerName, model: "gpt-4o-mini" }],
  }),
  "routing.delete": async (s) => ({ id: await s.newRoutingRule() }),

  "guardrails.list": () => ({}),
  "guardrails.scopeOptions": none,
  "guardrails.create": (s, side) => ({ name: s.unique("gr"), kind: "keywords", config: { keywords: ["project-x"] }, scopeType: "team", scopeId: s.teams[side] }),
  "guardrails.update": async (s, side) => ({ id: await s.newGuardrailPolicy(side), mode: "log" }),
  "guardrails.delete": async (s, side) => ({ id: await s.newGuardrailPolicy(side) }),

  "audit.list": () => ({}),
  "audit.get": (s) => ({ id: s.auditEventId }),
  "audit.chainHead": none,
  "audit.verify": none,
  "requestLogs.list": () => ({}),
  "requestLogs.get": (s, side) => ({ id: s.requestLogs[side] }),
  "fleet.status": none,
  "config.export": none,
  "config.applyYaml": (s) => ({ yaml: `apiVersion: portcullis/v1\nteams:\n  - slug: ${s.unique("applied")}\n    name: Applied team\n`, dryRun: false }),

  "settings.idpMappings.list": none,
  "settings.idpMappings.create": (s) => ({ groupName: s.unique("group"), roleId: s.roles.Viewer, teamId: null }),
  "settings.idpMappings.delete": async (s) => ({ id: await s.newMapping() }),
  "settings.roles.list": none,
  "settings.roles.create": (s) => ({ name: s.unique("Auditor"), permissions: ["audit.read"] }),
  "settings.roles.update": async (s) => ({ id: await s.newRole(), name: s.unique("Renamed"), permissions: ["audit.read", "fleet.read"] }),
  "settings.roles.delete": async (s) => ({ id: await s.newRole() }),
  "settings.users.list": none,
  "settings.users.setStatus": async (s) => ({ userId: await s.newUser(), status: "disabled" }),
  "settings.users.revokeSessions": async (s) => ({ userId: await s.newUser() }),
  "settings.users.bind": async (s, side) => ({ userId: await s.newUser(), roleId: s.roles.Viewer, teamId: s.teams[side] }),
  "settings.users.unbind": async (s, side) => ({ bindingId: await s.newManualBinding(side) }),
  "settings.exportSinks.list": none,
  "settings.exportSinks.create": (s) => ({ name: s.unique("sink"), kind: "webhook", config: { url: "https://siem.example.test/hec", tokenRef: "env://HEC_TOKEN" }, streams: ["audit"] }),
  "settings.exportSinks.update": async (s) => ({ id: await s.newSink(), enabled: false }),
  "settings.exportSinks.delete": async (s) => ({ id: await s.newSink() }),
  "settings.serviceAccounts.list": none,
  "settings.serviceAccounts.create": (s) => ({ name: s.unique("ci"), roleId: s.roles.Viewer, teamId: null }),
  "settings.serviceAccounts.createToken": async (s) => ({ serviceAccountId: await s.newServiceAccount(), name: "deploy" }),
  "settings.serviceAccounts.revokeToken": async (s) => ({ tokenId: await s.newToken() }),
  "settings.serviceAccounts.setRole": async (s, side) => ({ id: await s.newServiceAccount(), roleId: s.roles.Viewer, teamId: s.teams[side] }),
  "settings.serviceAccounts.setDisabled": async (s) => ({ id: await s.newServiceAccount(), disabled: true }),
};

/** Procedures that act on one existing row found through reachOf: outside the caller's teams the row is "not found". */
export const rowScoped = new Set(["virtualKeys.get", "virtualKeys.update", "virtualKeys.rotate", "virtualKeys.revoke", "virtualKeys.setStatus", "requestLogs.get"]);

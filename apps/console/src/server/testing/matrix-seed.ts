import { randomBytes } from "node:crypto";
import { apiTokenPrefix, displayPrefix, generateToken, generateVirtualKey, hashVirtualKey, newId } from "@portcullis/core";
import { appendAuditEvent, type PrismaClient } from "@portcullis/db";
import type { BuiltInRoleName } from "@portcullis/policy";
import { ensureBuiltInRoles } from "./seed";

export type Side = "A" | "B";

/**
 * Rows for calling every procedure in tests: two teams (A, the caller's, and B, someone
 * else's), and factories for fresh rows where a call consumes one (revoke, delete...).
 */
export interface MatrixSeed {
  pepper: string;
  roles: Record<BuiltInRoleName, string>;
  actorUserId: string;
  teams: Record<Side, string>;
  customer: string;
  provider: string;
  providerName: string;
  providerKey: string;
  auditEventId: string;
  requestLogs: Record<Side, string>;
  unique(prefix: string): string;
  newKey(side: Side): Promise<string>;
  newKeyBudget(side: Side): Promise<string>;
  newKeyRateLimit(side: Side): Promise<string>;
  newTeam(): Promise<string>;
  newCustomer(): Promise<string>;
  newProvider(): Promise<string>;
  newProviderKey(): Promise<string>;
  newUser(): Promise<string>;
  memberOf(side: Side): Promise<string>;
  newManualBinding(side: Side): Promise<string>;
  newMapping(): Promise<string>;
  newRole(): Promise<string>;
  newSink(): Promise<string>;
  newServiceAccount(): Promise<string>;
  newToken(): Promise<string>;
  newPriceOverride(): Promise<string>;
  newRoutingRule(): Promise<string>;
  /** A keyword guardrail policy scoped to team `side`. */
  newGuardrailPolicy(side: Side): Promise<string>;
}

export async function createMatrixSeed(prisma: PrismaClient, pepper: string): Promise<MatrixSeed> {
  const run = randomBytes(4).toString("hex");
  let n = 0;
  const unique = (prefix: string) => `${prefix}-${run}-${++n}`;
  const roles = await ensureBuiltInRoles(prisma);

  const actorUserId = newId("user");
  await prisma.user.create({ data: { id: actorUserId, email: `${unique("actor")}@matrix.test`, name: "Matrix actor" } });
  const teams = { A: newId("team"), B: newId("team") };
  for (const side of ["A", "B"] as const) await prisma.team.create({ data: { id: teams[side], name: `Team ${side} ${run}`, slug: unique(`team-${side.toLowerCase()}`) } });
  const customer = newId("customer");
  await prisma.customer.create({ data: { id: customer, name: unique("Customer") } });
  const provider = newId("provider");
  const providerName = unique("prov");
  await prisma.provider.create({ data: { id: provider, name: providerName, type: "openai" } });
  const newProviderKey = async () => {
    const id = newId("providerKey");
    await prisma.providerKey.create({ data: { id, name: unique("pk"), providerId: provider, credentialRef: "env://MATRIX_OPENAI_KEY" } });
    return id;
  };
  const providerKey = await newProviderKey();

  const newKey = async (side: Side) => {
    const id = newId("virtualKey");
    const secret = generateVirtualKey();
    await prisma.virtualKey.create({
      data: { id, keyHash: hashVirtualKey(pepper, secret), prefix: displayPrefix(secret), name: unique("key"), teamId: teams[side], allowedProviders: ["*"], allowedModels: ["*"], allowedEndpoints: ["*"] },
    });
    return id;
  };
  const requestLogs = {} as Record<Side, string>;
  for (const side of ["A", "B"] as const) {
    requestLogs[side] = newId("request");
    await prisma.requestLog.create({
      data: { id: requestLogs[side], virtualKeyId: await newKey(side), teamId: teams[side], endpoint: "chat.completions", modelRequested: "gpt-4o-mini", outcome: "success", latencyMs: 120, costMicros: 42n },
    });
  }
  const auditEventId = (
    await prisma.$transaction((tx) => appendAuditEvent(tx, { actorType: "system", action: "matrix.seed", targetType: "team", targetId: teams.A }))
  ).id;

  const newUser = async () => {
    const id = newId("user");
    await prisma.user.create({ data: { id, email: `${unique("user")}@matrix.test` } });
    return id;
  };
  const newServiceAccount = async () => {
    const id = newId("serviceAccount");
    await prisma.serviceAccount.create({ data: { id, name: unique("sa") } });
    return id;
  };

  return {
    pepper,
    roles,
    actorUserId,
    teams,
    customer,
    provider,
    providerName,
    providerKey,
    auditEventId,
    requestLogs,
    unique,
    newKey,
    async newKeyBudget(side) {
      const id = newId("budget");
      await prisma.budget.create({ data: { id, scopeType: "virtual_key", scopeId: await newKey(side), limitMicros: 5_000_000n, period: "month", currentPeriodStart: new Date() } });
      return id;
    },
    async newKeyRateLimit(side) {
      const id = newId("rateLimit");
      await prisma.rateLimit.create({ data: { id, scopeType: "virtual_key", scopeId: await newKey(side), rpm: 60 } });
      return id;
    },
    async newTeam() {
      const id = newId("team");
      await prisma.team.create({ data: { id, name: unique("Team"), slug: unique("t") } });
      return id;
    },
    async newCustomer() {
      const id = newId("customer");
      await prisma.customer.create({ data: { id, name: unique("Customer") } });
      return id;
    },
    async newProvider() {
      const id = newId("provider");
      await prisma.provider.create({ data: { id, name: unique("prov"), type: "anthropic" } });
      return id;
    },
    newProviderKey,
    newUser,
    async memberOf(side) {
      const userId = await newUser();
      await prisma.teamMembership.create({ data: { teamId: teams[side], userId } });
      return userId;
    },
    async newManualBinding(side) {
      const binding = await prisma.roleBinding.create({ data: { userId: await newUser(), roleId: roles.Viewer, teamId: teams[side] } });
      return binding.id;
    },
    async newMapping() {
      return (await prisma.idpGroupMapping.create({ data: { groupName: unique("group"), roleId: roles.Viewer } })).id;
    },
    async newRole() {
      const id = newId("role");
      await prisma.role.create({ data: { id, name: unique("Custom"), permissions: ["audit.read"] } });
      return id;
    },
    async newSink() {
      const id = newId("exportSink");
      await prisma.exportSink.create({ data: { id, name: unique("sink"), kind: "file", config: { path: "/tmp/portcullis-matrix.jsonl" }, streams: ["audit"] } });
      return id;
    },
    newServiceAccount,
    async newToken() {
      const id = newId("apiToken");
      const token = generateToken(apiTokenPrefix);
      await prisma.apiToken.create({ data: { id, name: unique("token"), tokenHash: hashVirtualKey(pepper, token), prefix: displayPrefix(token), serviceAccountId: await newServiceAccount(), scopes: [] } });
      return id;
    },
    async newPriceOverride() {
      const id = newId("price");
      await prisma.modelPrice.create({ data: { id, provider: "openai", model: unique("model"), inputPerMTok: 1, outputPerMTok: 2, effectiveFrom: new Date() } });
      return id;
    },
    async newRoutingRule() {
      const id = newId("routingRule");
      await prisma.routingRule.create({
        data: { id, name: unique("rule"), match: { models: [unique("m")] }, strategy: { mode: "fallback" }, targets: [{ provider: providerName, model: "gpt-4o-mini" }] },
      });
      return id;
    },
    async newGuardrailPolicy(side) {
      const id = newId("guardrail");
      await prisma.guardrailPolicy.create({ data: { id, name: unique("gr"), kind: "keywords", config: { keywords: ["secret-project"], caseSensitive: false }, scopeType: "team", scopeId: teams[side] } });
      return id;
    },
  };
}

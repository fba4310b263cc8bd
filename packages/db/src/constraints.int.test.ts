import { newId } from "@portcullis/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma } from "./client";
import type { PrismaClient } from "./generated/prisma/client";

// The rules the hand-written migration adds on top of schema.prisma.
let prisma: PrismaClient;
beforeAll(() => {
  prisma = createPrisma(process.env.DATABASE_URL ?? "", { max: 2 });
});
afterAll(async () => {
  await prisma?.$disconnect();
});

describe("database constraints", () => {
  it("stores a provider key credential as exactly one of a reference or a ciphertext", async () => {
    const provider = await prisma.provider.create({ data: { id: newId("provider"), type: "openai", name: `p-${newId("provider")}` } });
    const key = (extra: object) => ({ id: newId("providerKey"), name: newId("providerKey"), providerId: provider.id, ...extra });
    await expect(prisma.providerKey.create({ data: key({ credentialRef: "env://OPENAI_API_KEY" }) })).resolves.toBeTruthy();
    await expect(prisma.providerKey.create({ data: key({ encryptedCredential: "v1:abc" }) })).resolves.toBeTruthy();
    await expect(prisma.providerKey.create({ data: key({}) })).rejects.toThrow(/provider_keys_credential_one/);
    await expect(
      prisma.providerKey.create({ data: key({ credentialRef: "env://X", encryptedCredential: "v1:abc" }) }),
    ).rejects.toThrow(/provider_keys_credential_one/);
  });

  it("ties a budget's scope id to its scope type", async () => {
    const budget = (scopeType: "global" | "team" | "tenant", scopeId: string) => ({
      id: newId("budget"), scopeType, scopeId, limitMicros: 5_000_000n, period: "month" as const, currentPeriodStart: new Date(),
    });
    const team = newId("team");
    await expect(prisma.budget.create({ data: budget("team", team) })).resolves.toBeTruthy();
    await expect(prisma.budget.create({ data: budget("tenant", "acme") })).resolves.toBeTruthy();
    await expect(prisma.budget.create({ data: budget("team", newId("customer")) })).rejects.toThrow(/budgets_scope_id/);
    await expect(prisma.budget.create({ data: budget("global", "x") })).rejects.toThrow(/budgets_scope_id/);
    // One budget per scope and period.
    await expect(prisma.budget.create({ data: budget("team", team) })).rejects.toThrow(/Unique constraint/);
  });

  it("keeps role bindings unique even when global (team null)", async () => {
    const user = await prisma.user.create({ data: { id: newId("user"), email: `${newId("user")}@example.com` } });
    const role = await prisma.role.create({ data: { id: newId("role"), name: newId("role"), permissions: ["key.read"] } });
    await prisma.roleBinding.create({ data: { userId: user.id, roleId: role.id } });
    await expect(prisma.roleBinding.create({ data: { userId: user.id, roleId: role.id } })).rejects.toThrow(/Unique constraint/);
    await expect(prisma.roleBinding.create({ data: { roleId: role.id } })).rejects.toThrow(/role_bindings_subject_one/);
  });

  it("requires lower-case emails and a single config_state row", async () => {
    await expect(prisma.user.create({ data: { id: newId("user"), email: "Mixed@Example.com" } })).rejects.toThrow(/users_email_lower/);
    await expect(prisma.configState.create({ data: { id: 2 } })).rejects.toThrow(/config_state_single_row/);
  });
});

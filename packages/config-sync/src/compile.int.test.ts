import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "@portcullis/core";
import { bumpConfigVersion, createPrisma, recreateDatabase, type PrismaClient } from "@portcullis/db";
import { migrate } from "@portcullis/db/migrate";
import { compileSnapshot } from "./compile";

let prisma: PrismaClient;

beforeAll(async () => {
  const url = await recreateDatabase(process.env.DATABASE_URL!, "portcullis_test_compile");
  await migrate(url);
  prisma = createPrisma(url, { max: 2 });
});
afterAll(async () => prisma?.$disconnect());

describe("compileSnapshot", () => {
  it("compiles keys by hash, providers, bindings in the key's environment, limits by scope, at one version", async () => {
    const teamId = newId("team");
    const providerId = newId("provider");
    const prodKey = newId("providerKey");
    const devKey = newId("providerKey");
    const vkId = newId("virtualKey");
    await prisma.$transaction(async (tx) => {
      await tx.team.create({ data: { id: teamId, slug: "ml", name: "ML" } });
      await tx.provider.create({ data: { id: providerId, name: "openai", type: "openai" } });
      await tx.providerKey.create({ data: { id: prodKey, name: "prod", providerId, environment: "prod", credentialRef: "env://OPENAI_API_KEY" } });
      await tx.providerKey.create({ data: { id: devKey, name: "dev", providerId, environment: "dev", encryptedCredential: "djE6YWJj" } });
      await tx.virtualKey.create({
        data: {
          id: vkId, keyHash: "a".repeat(64), prefix: "pck_abcdef", name: "nb", teamId, environment: "prod",
          allowedModels: ["openai/*"], expiresAt: new Date("2030-01-01T00:00:00Z"),
          bindings: { create: [{ environment: "prod", providerKeyId: prodKey }, { environment: "dev", providerKeyId: devKey }] },
        },
      });
      await tx.virtualKey.create({ data: { id: newId("virtualKey"), keyHash: "b".repeat(64), prefix: "pck_zzzzzz", name: "old", status: "revoked" } });
      await tx.budget.create({
        data: { id: newId("budget"), scopeType: "team", scopeId: teamId, limitMicros: 500_000_000n, period: "month", timeZone: "America/New_York", currentPeriodStart: new Date() },
      });
      await tx.rateLimit.create({ data: { id: newId("rateLimit"), scopeType: "virtual_key", scopeId: vkId, rpm: 60 } });
      await bumpConfigVersion(tx);
    });

    const s = await compileSnapshot(prisma);
    expect(s.version).toBe("1");
    const key = s.keys["a".repeat(64)]!;
    expect(key).toMatchObject({ id: vkId, teamId, environment: "prod", allowedModels: ["openai/*"], expiresAt: Date.parse("2030-01-01T00:00:00Z") });
    expect(key.providerKeyIds).toEqual([prodKey]);
    expect(s.keys["b".repeat(64)]!.status).toBe("revoked");
    expect(s.providerKeys[prodKey]!.credential).toBe("env://OPENAI_API_KEY");
    expect(s.providerKeys[devKey]!.credential).toBe("encrypted:djE6YWJj");
    expect(s.budgets[`team:${teamId}`]).toEqual([expect.objectContaining({ label: 'team "ml"', limitMicros: 500_000_000, period: "month", timeZone: "America/New_York" })]);
    expect(s.rateLimits[`virtual_key:${vkId}`]).toEqual([expect.objectContaining({ label: 'virtual key "nb"', rpm: 60, tpm: null, windowSeconds: 60 })]);
    // Serializable as is: this is what gets signed, published and kept on disk.
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });
});

describe("key rotation and status through the repository", () => {
  it("a rotated key keeps its old key valid for the grace period, inherits bindings and counts against the same limits", async () => {
    const { rotateVirtualKey, setVirtualKeyStatus } = await import("@portcullis/db");
    const old = await prisma.virtualKey.findFirstOrThrow({ where: { name: "nb" } });
    const actor = { actorType: "system" as const, actorLabel: "test" };
    const now = new Date("2026-11-29T12:00:00Z");
    const { fresh, version } = await prisma.$transaction((tx) =>
      rotateVirtualKey(tx, { id: old.id, newKeyHash: "c".repeat(64), newPrefix: "pck_cccccc", graceSeconds: 3600, now }, actor),
    );
    expect(fresh.rotatedFromId).toBe(old.id);
    const s = await compileSnapshot(prisma);
    expect(s.version).toBe(version.toString());
    expect(s.keys["a".repeat(64)]!.graceExpiresAt).toBe(now.getTime() + 3_600_000);
    expect(s.keys["c".repeat(64)]).toMatchObject({ id: fresh.id, limitScopeId: old.id, providerKeyIds: s.keys["a".repeat(64)]!.providerKeyIds });
    expect(await prisma.auditEvent.count({ where: { action: "virtual_key.rotate", targetId: old.id } })).toBe(1);

    await prisma.$transaction((tx) => setVirtualKeyStatus(tx, { id: fresh.id, status: "revoked" }, actor));
    expect((await compileSnapshot(prisma)).keys["c".repeat(64)]!.status).toBe("revoked");
    await expect(prisma.$transaction((tx) => setVirtualKeyStatus(tx, { id: fresh.id, status: "active" }, actor))).rejects.toThrow(/revocation is final/);
  });
});

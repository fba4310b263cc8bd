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

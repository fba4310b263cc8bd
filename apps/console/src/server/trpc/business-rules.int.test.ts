import { hashVirtualKey } from "@portcullis/core";
import { createPrisma, type PrismaClient } from "@portcullis/db";
import type { BuiltInRoleName } from "@portcullis/policy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtures } from "../testing/matrix-fixtures";
import { createMatrixSeed, type MatrixSeed } from "../testing/matrix-seed";
import { stubServices } from "../testing/stub-services";
import { roleBinding, testCaller, trpcCodeOf } from "../testing/test-caller";
import { appRouter } from "./root";

/** The rules the issue names, checked by name (not derived from the permission registry). */

const pepper = "rules-pepper-".padEnd(40, "y");
let prisma: PrismaClient;
let s: MatrixSeed;

const services = stubServices({
  keyPepper: pepper,
  encryptionKey: Buffer.alloc(32, 9).toString("base64"),
  resolveSecret: async () => "sk-resolved",
  probeProvider: async () => ({ ok: true, message: "stubbed" }),
});

const as = (role: BuiltInRoleName, team: "A" | "B" | null = null) =>
  testCaller({ prisma, services, userId: s.actorUserId, bindings: [roleBinding(role, team ? s.teams[team] : null)], label: "rules" });

beforeAll(async () => {
  prisma = createPrisma(process.env.DATABASE_URL ?? "", { max: 4 });
  s = await createMatrixSeed(prisma, pepper);
});

afterAll(async () => {
  await prisma?.$disconnect();
});

describe("Finance", () => {
  it("can update budgets", async () => {
    const id = await s.newKeyBudget("B");
    const updated = await as("Finance").budgets.update({ id, limitUsd: 123.45 });
    expect(updated.limitUsd).toBe(123.45);
    expect((await prisma.budget.findUniqueOrThrow({ where: { id } })).limitMicros).toBe(123_450_000n);
  });

  it("cannot read or touch provider credentials, and nobody reads one back", async () => {
    const secret = "sk-live-do-not-leak-4f2a9c";
    const created = await as("Owner").providers.keys.create({ providerId: s.provider, name: s.unique("pk"), credential: { kind: "value", value: secret } });
    const stored = await prisma.providerKey.findUniqueOrThrow({ where: { id: created.id } });
    expect(stored.encryptedCredential).toMatch(/^v1\./);
    expect(stored.encryptedCredential).not.toContain(secret);

    for (const role of ["Finance", "Owner"] as const) {
      const listed = JSON.stringify(await as(role).providers.list());
      expect(listed).not.toContain(secret);
      expect(listed).not.toContain(stored.encryptedCredential!);
    }
    expect(JSON.stringify(created)).not.toContain(stored.encryptedCredential!);
    expect(await trpcCodeOf(as("Finance").providers.keys.test({ id: created.id }))).toBe("FORBIDDEN");
    expect(await trpcCodeOf(as("Finance").providers.keys.update({ id: created.id, credential: { kind: "reference", ref: "env://X" } }))).toBe("FORBIDDEN");
  });
});

describe("Security", () => {
  it("can read and verify the audit log", async () => {
    expect((await as("Security").audit.list({})).items.length).toBeGreaterThan(0);
    expect((await as("Security").audit.verify()).ok).toBe(true);
  });

  it("cannot update budgets", async () => {
    expect(await trpcCodeOf(as("Security").budgets.update({ id: await s.newKeyBudget("A"), limitUsd: 1 }))).toBe("FORBIDDEN");
    expect(await trpcCodeOf(as("Security").budgets.create({ scopeType: "team", scopeId: s.teams.A, limitUsd: 1, period: "day" }))).toBe("FORBIDDEN");
  });
});

describe("Developer (bound to team A)", () => {
  it("mints a key in team A: the secret comes back once and only its HMAC is stored", async () => {
    const { key, secret } = await as("Developer", "A").virtualKeys.create({ name: s.unique("dev-key"), teamId: s.teams.A });
    const row = await prisma.virtualKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(row.keyHash).toBe(hashVirtualKey(pepper, secret));
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(key.prefix).toBe(secret.slice(0, key.prefix.length));
    expect(JSON.stringify(await as("Developer", "A").virtualKeys.get({ id: key.id }))).not.toContain(secret);
  });

  it("cannot mint keys in another team or organisation-wide", async () => {
    expect(await trpcCodeOf(as("Developer", "A").virtualKeys.create({ name: "x", teamId: s.teams.B }))).toBe("FORBIDDEN");
    expect(await trpcCodeOf(as("Developer", "A").virtualKeys.create({ name: "x", teamId: null }))).toBe("FORBIDDEN");
  });

  it("sees and revokes only team A's keys", async () => {
    const mine = await s.newKey("A");
    const theirs = await s.newKey("B");
    const listed = (await as("Developer", "A").virtualKeys.list({ limit: 200 })).items;
    expect(listed.every((k) => k.teamId === s.teams.A)).toBe(true);
    expect(listed.some((k) => k.id === mine)).toBe(true);
    expect(await trpcCodeOf(as("Developer", "A").virtualKeys.revoke({ id: theirs }))).toBe("NOT_FOUND");
    expect((await prisma.virtualKey.findUniqueOrThrow({ where: { id: theirs } })).status).toBe("active");
    expect((await as("Developer", "A").virtualKeys.revoke({ id: mine })).status).toBe("revoked");
  });

  it("stays within the team's limits", async () => {
    await prisma.budget.deleteMany({ where: { scopeType: "team", scopeId: s.teams.A } });
    await as("Finance").budgets.create({ scopeType: "team", scopeId: s.teams.A, limitUsd: 100, period: "month" });
    const over = as("Developer", "A").virtualKeys.create({ name: "big", teamId: s.teams.A, budget: { limitUsd: 500, period: "month" } });
    await expect(over).rejects.toThrow(/exceeds its team's/);
    const ok = await as("Developer", "A").virtualKeys.create({ name: "small", teamId: s.teams.A, budget: { limitUsd: 50, period: "month" } });
    expect(ok.key.budget).toEqual({ limitUsd: 50, period: "month" });
  });
});

describe("Viewer", () => {
  it("cannot mutate anything", async () => {
    const mutations = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>).filter(([, p]) => p._def.type === "mutation");
    expect(mutations.length).toBeGreaterThan(20);
    for (const [path] of mutations) {
      let node: unknown = as("Viewer");
      for (const part of path.split(".")) node = (node as Record<string, unknown>)[part];
      expect(await trpcCodeOf((node as (i: unknown) => Promise<unknown>)(await fixtures[path]!(s, "A"))), path).toBe("FORBIDDEN");
    }
  });
});

describe("no privilege escalation", () => {
  it("an Admin cannot hand out Owner, to a user or a service account", async () => {
    const userId = await s.newUser();
    expect(await trpcCodeOf(as("Admin").settings.users.bind({ userId, roleId: s.roles.Owner, teamId: null }))).toBe("FORBIDDEN");
    expect(await trpcCodeOf(as("Admin").settings.serviceAccounts.create({ name: s.unique("sa"), roleId: s.roles.Owner, teamId: null }))).toBe("FORBIDDEN");
    expect((await as("Admin").settings.users.bind({ userId, roleId: s.roles.Finance, teamId: null })).bindings.map((b) => b.role)).toEqual(["Finance"]);
  });
});

describe("key lifecycle", () => {
  it("rotation keeps the old key valid for the grace period; revocation is immediate", async () => {
    const { key: original } = await as("Admin").virtualKeys.create({ name: s.unique("rot"), teamId: s.teams.A, rateLimit: { rpm: 7, tpm: null } });
    const before = Date.now();
    const { key: next, secret } = await as("Admin").virtualKeys.rotate({ id: original.id, graceHours: 2 });
    const old = await prisma.virtualKey.findUniqueOrThrow({ where: { id: original.id } });
    expect(next.rotatedFromId).toBe(original.id);
    expect(next.rateLimit).toEqual({ rpm: 7, tpm: null });
    expect(old.status).toBe("active");
    expect(old.graceExpiresAt!.getTime() - before).toBeGreaterThanOrEqual(2 * 3_600_000 - 1000);
    expect((await prisma.virtualKey.findUniqueOrThrow({ where: { id: next.id } })).keyHash).toBe(hashVirtualKey(pepper, secret));
    expect((await as("Admin").virtualKeys.get({ id: original.id })).effectiveStatus).toBe("grace");
    expect(await trpcCodeOf(as("Admin").virtualKeys.rotate({ id: original.id }))).toBe("CONFLICT");

    const revoked = await as("Admin").virtualKeys.revoke({ id: next.id });
    expect(revoked).toMatchObject({ status: "revoked", effectiveStatus: "revoked" });
    expect(revoked.revokedAt).not.toBeNull();
    const event = await prisma.auditEvent.findFirstOrThrow({ where: { action: "virtual_key.revoke", targetId: next.id } });
    expect(event.before).toMatchObject({ status: "active" });
    expect(event.after).toMatchObject({ status: "revoked" });
  });
});

describe("the last Owner", () => {
  it("cannot be disabled", async () => {
    const ownerId = await s.newUser();
    await prisma.roleBinding.deleteMany({ where: { role: { name: "Owner" }, teamId: null, userId: { not: null } } });
    await prisma.roleBinding.create({ data: { userId: ownerId, roleId: s.roles.Owner } });
    expect(await trpcCodeOf(as("Owner").settings.users.setStatus({ userId: ownerId, status: "disabled" }))).toBe("CONFLICT");
  });
});

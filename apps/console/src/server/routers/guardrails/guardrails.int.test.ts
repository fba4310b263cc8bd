import { createPrisma, readConfigVersion, type PrismaClient } from "@portcullis/db";
import type { Binding } from "@portcullis/policy";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMatrixSeed, type MatrixSeed } from "../../testing/matrix-seed";
import { stubServices } from "../../testing/stub-services";
import { roleBinding, testCaller, trpcCodeOf } from "../../testing/test-caller";

let prisma: PrismaClient;
let s: MatrixSeed;
const published: bigint[] = [];
const services = stubServices({ keyPepper: "guardrail-pepper".padEnd(40, "g"), publishConfigChange: async (v) => void published.push(v) });

const as = (bindings: Binding[]) => testCaller({ prisma, services, userId: s.actorUserId, bindings, label: "g", meta: { ip: "203.0.113.7", userAgent: "guardrail-test" } });
const security = () => as([roleBinding("Security")]);
const securityOfA = () => as([roleBinding("Security", s.teams.A)]);

beforeAll(async () => {
  prisma = createPrisma(process.env.DATABASE_URL ?? "", { max: 4 });
  s = await createMatrixSeed(prisma, services.keyPepper);
});

afterAll(async () => {
  await prisma?.$disconnect();
});

describe("guardrail policies", () => {
  it("creates, updates and deletes a policy, each in one audited change that bumps and publishes the version", async () => {
    const v0 = await readConfigVersion(prisma);
    const created = await security().guardrails.create({ name: s.unique("pii"), kind: "pii", config: { entities: ["email", "credit_card"], action: "redact" }, mode: "redact", stage: "output" });
    expect(created).toMatchObject({ kind: "pii", mode: "redact", stage: "output", scopeType: "global", scopeLabel: "Everything", failOpen: false });
    expect(await readConfigVersion(prisma)).toBe(v0 + 1n);
    expect(published.at(-1)).toBe(v0 + 1n);
    const createdEvent = await prisma.auditEvent.findFirstOrThrow({ where: { action: "guardrail.create", targetId: created.id } });
    expect(createdEvent).toMatchObject({ targetType: "guardrail_policy", actorId: s.actorUserId, ip: "203.0.113.7" });

    const updated = await security().guardrails.update({ id: created.id, config: { entities: ["email"], action: "block" }, mode: "block", enabled: false });
    expect(updated).toMatchObject({ config: { entities: ["email"], action: "block" }, mode: "block", enabled: false, stage: "output" });
    const updateEvent = await prisma.auditEvent.findFirstOrThrow({ where: { action: "guardrail.update", targetId: created.id } });
    expect(updateEvent.before).toMatchObject({ mode: "redact", enabled: true });
    expect(updateEvent.after).toMatchObject({ mode: "block", enabled: false });

    expect((await security().guardrails.list()).policies.map((p) => p.id)).toContain(created.id);
    await security().guardrails.delete({ id: created.id });
    expect(await prisma.guardrailPolicy.findUnique({ where: { id: created.id } })).toBeNull();
    expect(await prisma.auditEvent.count({ where: { action: "guardrail.delete", targetId: created.id } })).toBe(1);
    expect(await readConfigVersion(prisma)).toBe(v0 + 3n);
  });

  it("validates the merged policy on update: a new kind needs its own config", async () => {
    const p = await security().guardrails.create({ name: s.unique("kw"), kind: "keywords", config: { keywords: ["internal-only"] } });
    const v = await readConfigVersion(prisma);
    await expect(security().guardrails.update({ id: p.id, kind: "webhook" })).rejects.toThrow(TRPCError);
    await expect(security().guardrails.update({ id: p.id, kind: "regex", config: { patterns: ["(a"] } })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await readConfigVersion(prisma)).toBe(v);
    const ok = await security().guardrails.update({ id: p.id, kind: "webhook", config: { url: "https://guard.example.test/v1/check", timeoutMs: 500 }, failOpen: true });
    expect(ok).toMatchObject({ kind: "webhook", failOpen: true, config: { url: "https://guard.example.test/v1/check", timeoutMs: 500 } });
  });

  it("refuses a scope that does not exist and a duplicate name", async () => {
    await expect(security().guardrails.create({ name: s.unique("x"), kind: "prompt-injection", config: { sensitivity: "low" }, scopeType: "team", scopeId: "team_missing" })).rejects.toThrow(/No team "team_missing"/);
    const name = s.unique("dup");
    await security().guardrails.create({ name, kind: "prompt-injection", config: { sensitivity: "low" } });
    expect(await trpcCodeOf(security().guardrails.create({ name, kind: "prompt-injection", config: { sensitivity: "high" } }))).toBe("CONFLICT");
  });

  it("lets a team-bound editor manage its team's policies only, and see only those", async () => {
    const mine = await securityOfA().guardrails.create({ name: s.unique("a"), kind: "keywords", config: { keywords: ["a"] }, scopeType: "team", scopeId: s.teams.A });
    const key = await s.newKey("A");
    expect(await trpcCodeOf(securityOfA().guardrails.create({ name: s.unique("k"), kind: "keywords", config: { keywords: ["k"] }, scopeType: "virtual_key", scopeId: key }))).toBe("OK");
    expect(await trpcCodeOf(securityOfA().guardrails.create({ name: s.unique("b"), kind: "keywords", config: { keywords: ["b"] }, scopeType: "team", scopeId: s.teams.B }))).toBe("FORBIDDEN");
    expect(await trpcCodeOf(securityOfA().guardrails.create({ name: s.unique("g"), kind: "keywords", config: { keywords: ["g"] } }))).toBe("FORBIDDEN");
    // Moving its own policy to another team needs the permission there too.
    expect(await trpcCodeOf(securityOfA().guardrails.update({ id: mine.id, scopeType: "team", scopeId: s.teams.B }))).toBe("FORBIDDEN");
    expect((await prisma.guardrailPolicy.findUniqueOrThrow({ where: { id: mine.id } })).scopeId).toBe(s.teams.A);

    const theirs = await s.newGuardrailPolicy("B");
    const listed = (await securityOfA().guardrails.list()).policies;
    expect(listed.map((p) => p.id)).toContain(mine.id);
    expect(listed.map((p) => p.id)).not.toContain(theirs);
    expect(listed.every((p) => p.scopeType === "team" ? p.scopeId === s.teams.A : p.scopeType === "virtual_key")).toBe(true);
  });

  it("is read-only for Viewer and closed to Finance and Developer", async () => {
    const viewer = as([roleBinding("Viewer")]);
    expect(await trpcCodeOf(viewer.guardrails.list())).toBe("OK");
    expect(await trpcCodeOf(viewer.guardrails.create({ name: s.unique("v"), kind: "prompt-injection", config: { sensitivity: "low" } }))).toBe("FORBIDDEN");
    for (const role of ["Finance", "Developer"] as const) {
      expect(await trpcCodeOf(as([roleBinding(role)]).guardrails.list()), role).toBe("FORBIDDEN");
    }
  });
});

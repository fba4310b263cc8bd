import { createPrisma, type PrismaClient } from "@portcullis/db";
import { routingRuleSpecSchema } from "@portcullis/policy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMatrixSeed, type MatrixSeed } from "../testing/matrix-seed";
import { stubServices } from "../testing/stub-services";
import { roleBinding, testCaller } from "../testing/test-caller";

let prisma: PrismaClient;
let s: MatrixSeed;
const services = stubServices({ keyPepper: "routing-pepper".padEnd(40, "q") });

const admin = () => testCaller({ prisma, services, userId: s.actorUserId, bindings: [roleBinding("Admin")], label: "q" });

beforeAll(async () => {
  prisma = createPrisma(process.env.DATABASE_URL ?? "", { max: 4 });
  s = await createMatrixSeed(prisma, services.keyPepper);
});

afterAll(async () => {
  await prisma?.$disconnect();
});

describe("routing.save", () => {
  it("stores a valid rule the way the gateway reads it back", async () => {
    const model = s.unique("routed");
    const saved = await admin().routing.save({ name: s.unique("rule"), priority: 10, match: { models: [model] }, mode: "weighted", targets: [{ provider: s.providerName, model: "gpt-4o-mini", weight: 3 }], policy: { retries: 2 } });
    expect(saved.valid).toBe(true);
    const row = await prisma.routingRule.findUniqueOrThrow({ where: { id: saved.id } });
    expect(row.strategy).toMatchObject({ mode: "weighted", policy: { retries: 2 } });
    const spec = routingRuleSpecSchema.parse({ name: row.name, priority: row.priority, match: row.match, strategy: { mode: "weighted", targets: row.targets }, policy: (row.strategy as { policy: unknown }).policy });
    expect(spec.strategy.targets).toEqual([{ provider: s.providerName, model: "gpt-4o-mini", weight: 3 }]);
  });

  it("refuses an unknown provider or key, a malformed target, and a rule an earlier one makes unreachable", async () => {
    const base = { name: s.unique("bad"), match: { models: [s.unique("m")] }, mode: "fallback" as const };
    await expect(admin().routing.save({ ...base, targets: [{ provider: "no-such-provider", model: "x" }] })).rejects.toThrow(/unknown provider "no-such-provider"/);
    await expect(admin().routing.save({ ...base, targets: [{ provider: s.providerName, key: "nope", model: "x" }] })).rejects.toThrow(/has no key "nope"/);
    await expect(admin().routing.save({ ...base, targets: [{ provider: s.providerName }] })).rejects.toThrow(/strategy\.targets\.0/);

    const glob = `${s.unique("family")}-*`;
    await admin().routing.save({ name: s.unique("broad"), priority: 1, match: { models: [glob] }, mode: "fallback", targets: [{ provider: s.providerName, model: "gpt-4o" }] });
    await expect(
      admin().routing.save({ name: s.unique("narrow"), priority: 50, match: { models: [glob] }, mode: "fallback", targets: [{ provider: s.providerName, model: "gpt-4o-mini" }] }),
    ).rejects.toThrow(/unreachable/);
  });
});

describe("prices", () => {
  it("an override shows against its catalog entry once in force, and goes with its deletion", async () => {
    const before = await admin().prices.list({ provider: "openai", search: "gpt-4o-mini" });
    const entry = before.catalog.find((c) => c.model === "gpt-4o-mini")!;
    expect(entry.inputPerMTok).toBeGreaterThan(0);
    const override = await admin().prices.createOverride({ provider: "openai", model: "gpt-4o-mini", inputPerMTok: 0.01, outputPerMTok: 0.02 });
    const after = await admin().prices.list({ provider: "openai", search: "gpt-4o-mini" });
    expect(after.catalog.find((c) => c.model === "gpt-4o-mini")?.override).toMatchObject({ id: override.id, inputPerMTok: 0.01 });
    await expect(admin().prices.createOverride({ provider: "openai", model: "m", inputPerMTok: 1, outputPerMTok: 1, cacheReadPerMTok: 2 })).rejects.toThrow(/cannot cost more than input/);
    await admin().prices.deleteOverride({ id: override.id });
    expect((await admin().prices.list({ provider: "openai", search: "gpt-4o-mini" })).catalog.find((c) => c.model === "gpt-4o-mini")?.override).toBeNull();
  });
});

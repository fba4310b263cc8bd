import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { hashVirtualKey } from "@portcullis/core";
import { createPrisma, readConfigVersion, recreateDatabase, type PrismaClient } from "@portcullis/db";
import { migrate } from "@portcullis/db/migrate";
import { executePlan } from "./execute";
import { exportDocument } from "./export";
import { parseConfig } from "./load";
import { planChanges, type Plan } from "./plan";
import { readState } from "./state";

const demoPath = fileURLToPath(new URL("../../../examples/demo.yaml", import.meta.url));
const pepper = "test-pepper-0123456789abcdef0123456789";
const hashKey = (k: string) => hashVirtualKey(pepper, k);
let prisma: PrismaClient;

beforeAll(async () => {
  // A database of its own: the demo's fixed names must not meet other tests' rows.
  const url = await recreateDatabase(process.env.DATABASE_URL!, "portcullis_test_apply");
  await migrate(url);
  prisma = createPrisma(url, { max: 2 });
});
afterAll(async () => prisma?.$disconnect());

async function plan(text: string, file = "demo.yaml") {
  const loaded = parseConfig(file, text);
  const state = await readState(prisma);
  const p = planChanges(loaded, state, hashKey);
  if ("problems" in p) throw new Error(p.problems.map((x) => x.message).join("; "));
  return { loaded, state, plan: p as Plan };
}

describe("apply and export against PostgreSQL", () => {
  it("applies the demo, is idempotent, audits every change and bumps the version once", async () => {
    const text = readFileSync(demoPath, "utf8");
    const first = await plan(text);
    expect(first.plan.changes.length).toBeGreaterThan(15);
    expect(first.plan.changes.every((c) => c.op === "create")).toBe(true);
    const before = await readConfigVersion(prisma);
    const auditBefore = await prisma.auditEvent.count();

    const result = await executePlan(prisma, first.loaded.document, first.plan, first.state, hashKey, { label: "test" });
    expect(result.version).toBe(before + 1n);
    expect(await readConfigVersion(prisma)).toBe(before + 1n);
    expect(await prisma.auditEvent.count()).toBe(auditBefore + first.plan.changes.length);
    expect(await prisma.auditEvent.count({ where: { action: "virtual_key.create" } })).toBe(3);
    // Two keys had no plaintext in the file: generated and reported once; the third was given.
    expect(result.createdKeys.map((k) => k.name).sort()).toEqual(["research-notebooks", "support-bot-prod"]);
    const ci = await prisma.virtualKey.findFirstOrThrow({ where: { name: "ci-smoke-tests" } });
    expect(ci.keyHash).toBe(hashKey("pck_RCGxCC9twwVthLlruDRlpzUpLLRWIUH63cnIiI"));
    const generated = await prisma.virtualKey.findFirstOrThrow({ where: { name: "research-notebooks" } });
    expect(generated.keyHash).toBe(hashKey(result.createdKeys.find((k) => k.name === "research-notebooks")!.key));
    expect(JSON.stringify(await prisma.auditEvent.findMany(), (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))).not.toContain(result.createdKeys[0]!.key);

    const again = await plan(text);
    expect(again.plan.changes).toEqual([]);
    expect(again.plan.unchanged).toBe(first.plan.changes.length);
  });

  it("round-trips through export (secrets excepted)", async () => {
    const exported = exportDocument((await readState(prisma)).document);
    expect(exported).not.toMatch(/pck_[0-9A-Za-z]{20}/);
    const fromExport = await plan(exported, "export.yaml");
    expect(fromExport.plan.changes).toEqual([]);
    const original = parseConfig("demo.yaml", readFileSync(demoPath, "utf8")).document;
    const reparsed = parseConfig("export.yaml", exported).document;
    const withoutKeys = original.virtualKeys.map(({ key: _key, ...rest }) => rest);
    const byName = <T extends { name: string }>(xs: T[]) => [...xs].sort((a, b) => a.name.localeCompare(b.name));
    // Bindings are sets and instants may be written either way: compare them normalized.
    const norm = (k: (typeof withoutKeys)[number]) => ({
      ...k,
      expiresAt: k.expiresAt && new Date(k.expiresAt).toISOString(),
      bindings: Object.fromEntries(Object.entries(k.bindings).map(([e, l]) => [e, [...(l ?? [])].sort()])),
    });
    expect(byName(reparsed.virtualKeys).map(norm)).toEqual(byName(withoutKeys).map(norm));
    expect(byName(reparsed.providers).map((p) => ({ ...p, keys: byName(p.keys) }))).toEqual(byName(original.providers).map((p) => ({ ...p, keys: byName(p.keys) })));
    expect(reparsed.teams).toEqual([...original.teams].sort((a, b) => a.slug.localeCompare(b.slug)));
  });

  it("plans updates and removes limits a resource no longer lists", async () => {
    const text = readFileSync(demoPath, "utf8")
      .replace("limit: 500, period: month", "limit: 750, period: month")
      .replace("    rateLimits:\n      - { rpm: 600, tpm: 400000 }\n", "");
    const p = await plan(text);
    expect(p.plan.changes.map((c) => `${c.op} ${c.kind} ${c.name}`)).toEqual([
      "update budget team ml-research month",
      "delete rate_limit team ml-research 60s",
    ]);
    const res = await executePlan(prisma, p.loaded.document, p.plan, p.state, hashKey, { label: "test" });
    expect(res.version).toBeDefined();
    const team = await prisma.team.findUniqueOrThrow({ where: { slug: "ml-research" } });
    expect((await prisma.budget.findFirstOrThrow({ where: { scopeType: "team", scopeId: team.id } })).limitMicros).toBe(750_000_000n);
    expect(await prisma.rateLimit.count({ where: { scopeType: "team", scopeId: team.id } })).toBe(0);
  });

  it("re-keys a virtual key when the file gives a different plaintext", async () => {
    const text = readFileSync(demoPath, "utf8").replace("pck_RCGxCC9twwVthLlruDRlpzUpLLRWIUH63cnIiI", "legacy-gateway-key-0000000001");
    const p = await plan(text);
    const change = p.plan.changes.find((c) => c.name === "ci-smoke-tests");
    expect(change?.fields).toEqual(["key"]);
    await executePlan(prisma, p.loaded.document, p.plan, p.state, hashKey, { label: "test" });
    const ci = await prisma.virtualKey.findFirstOrThrow({ where: { name: "ci-smoke-tests" } });
    expect(ci.keyHash).toBe(hashKey("legacy-gateway-key-0000000001"));
  });

  it("refuses references to things that exist nowhere, naming the path", async () => {
    const loaded = parseConfig("x.yaml", "apiVersion: portcullis/v1\nvirtualKeys:\n  - name: k\n    team: ghost\n    bindings: { prod: [openai/nope] }\n");
    const p = planChanges(loaded, await readState(prisma), hashKey);
    expect("problems" in p && p.problems.map((x) => `${x.line}:${x.column} ${x.message}`)).toEqual([
      expect.stringMatching(/^4:11 unknown team "ghost" \(known: ml-research, support-bot\)$/),
      expect.stringMatching(/^5:24 unknown provider key "openai\/nope" \(known: /),
    ]);
  });
});

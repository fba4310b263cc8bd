import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "@portcullis/core";
import { bumpConfigVersion, createPrisma, recreateDatabase, type Prisma, type PrismaClient } from "@portcullis/db";
import { migrate } from "@portcullis/db/migrate";
import { canonicalJson } from "./canonical";
import { compileSnapshot, createIncrementalCompiler } from "./compile";
import { seededRandom } from "./test-fixtures";

let prisma: PrismaClient;
const now = new Date("2030-01-01T00:00:00Z");

beforeAll(async () => {
  const url = await recreateDatabase(process.env.DATABASE_URL!, "portcullis_test_incremental");
  await migrate(url);
  prisma = createPrisma(url, { max: 4 });
});
afterAll(async () => prisma?.$disconnect());

const change = (edit: (tx: Prisma.TransactionClient) => Promise<unknown>) =>
  prisma.$transaction(async (tx) => {
    await edit(tx);
    await bumpConfigVersion(tx);
  });

/** What a full compile gives at this moment, as the bytes that get hashed. */
const fullCompile = async () => canonicalJson(await compileSnapshot(prisma, now));

describe("createIncrementalCompiler", () => {
  it("gives the full compile's snapshot after every kind of change, reading only changed keys where it can", { timeout: 120_000 }, async () => {
    const rng = seededRandom(42);
    const pick = <T>(xs: T[]) => xs[Math.floor(rng() * xs.length)]!;
    const teamIds = [newId("team"), newId("team")];
    const providerId = newId("provider");
    const providerKeyIds = [newId("providerKey"), newId("providerKey")];
    await change(async (tx) => {
      for (const [i, id] of teamIds.entries()) await tx.team.create({ data: { id, slug: `t${i}`, name: `T${i}` } });
      await tx.provider.create({ data: { id: providerId, name: "openai", type: "openai" } });
      for (const [i, id] of providerKeyIds.entries()) await tx.providerKey.create({ data: { id, name: `pk${i}`, providerId, environment: i ? "dev" : "prod", credentialRef: "env://K" } });
    });
    const keyIds: string[] = [];
    const newKey = async (tx: Prisma.TransactionClient, extra: Partial<Prisma.VirtualKeyUncheckedCreateInput> = {}) => {
      const id = newId("virtualKey");
      await tx.virtualKey.create({
        data: { id, keyHash: randomBytes(32).toString("hex"), prefix: "pck_x", name: `k${keyIds.length}`, teamId: pick(teamIds), ...extra },
      });
      keyIds.push(id);
      return id;
    };
    await change(async (tx) => {
      for (let i = 0; i < 30; i++) await newKey(tx);
      await tx.rateLimit.create({ data: { id: newId("rateLimit"), scopeType: "virtual_key", scopeId: keyIds[0]!, rpm: 5 } });
    });

    const compiler = createIncrementalCompiler(prisma);
    expect(await compiler.compile(now)).toMatchObject({ full: true });

    // [description, edit, whether the incremental path must handle it without a full compile]
    const edits: [string, (tx: Prisma.TransactionClient) => Promise<unknown>, boolean][] = [
      ["revoke a key", (tx) => tx.virtualKey.update({ where: { id: pick(keyIds) }, data: { status: "revoked" } }), true],
      ["rename the key a rate limit names", (tx) => tx.virtualKey.update({ where: { id: keyIds[0]! }, data: { name: "renamed" } }), true],
      ["change lists and metadata", (tx) => tx.virtualKey.update({ where: { id: pick(keyIds) }, data: { allowedModels: ["openai/*"], metadata: { team: "x" } } }), true],
      ["add a key", (tx) => newKey(tx), true],
      ["rotate a key (new key naming the old one)", async (tx) => {
        const old = pick(keyIds);
        await tx.virtualKey.update({ where: { id: old }, data: { graceExpiresAt: new Date("2030-02-01T00:00:00Z") } });
        await newKey(tx, { rotatedFromId: old });
      }, true],
      ["bind a key to provider keys", (tx) => tx.virtualKeyBinding.createMany({ data: [
        { virtualKeyId: keyIds[1]!, environment: "prod", providerKeyId: providerKeyIds[0]! },
        { virtualKeyId: keyIds[1]!, environment: "dev", providerKeyId: providerKeyIds[1]! },
      ], skipDuplicates: true }), true],
      ["change a key's environment (its bindings apply differently)", (tx) => tx.virtualKey.update({ where: { id: keyIds[1]! }, data: { environment: "dev" } }), true],
      ["change a key's hash", (tx) => tx.virtualKey.update({ where: { id: keyIds[2]! }, data: { keyHash: randomBytes(32).toString("hex") } }), true],
      ["rename a team", (tx) => tx.team.update({ where: { id: teamIds[0]! }, data: { slug: "renamed" } }), true],
      ["add a budget naming a key", (tx) => tx.budget.create({ data: {
        id: newId("budget"), scopeType: "virtual_key", scopeId: pick(keyIds), limitMicros: 1_000_000n, period: "month", timeZone: "UTC", currentPeriodStart: now,
      } }), true],
      ["delete a rate limit", (tx) => tx.rateLimit.deleteMany({ where: { rpm: 5 } }), true],
      ["add a rate limit for a key not yet created, then the key", async (tx) => {
        const id = newId("virtualKey");
        await tx.rateLimit.create({ data: { id: newId("rateLimit"), scopeType: "virtual_key", scopeId: id, rpm: 7 } });
        await tx.virtualKey.create({ data: { id, keyHash: randomBytes(32).toString("hex"), prefix: "pck_x", name: "late" } });
        keyIds.push(id);
      }, true],
      ["nothing but the version", async () => {}, true],
      ["delete a key", (tx) => tx.virtualKey.delete({ where: { id: keyIds.splice(5, 1)[0]! } }), false],
      ["unbind", (tx) => tx.virtualKeyBinding.deleteMany({ where: { virtualKeyId: keyIds[1]!, environment: "dev" } }), false],
      ["relink a rotation", (tx) => tx.virtualKey.update({ where: { id: keyIds[3]! }, data: { rotatedFromId: keyIds[4]! } }), false],
      ["revoke again after the full compiles", (tx) => tx.virtualKey.update({ where: { id: keyIds[6]! }, data: { status: "disabled" } }), true],
    ];
    for (let round = 0; round < 3; round++) {
      for (const [what, edit, incremental] of edits) {
        await change(edit);
        const result = await compiler.compile(now);
        expect(canonicalJson(result.snapshot), `${what} (round ${round})`).toBe(await fullCompile());
        if (incremental) expect(result.full, what).toBe(false);
      }
    }
  });

  it("sees a change committed by a transaction that was open during the previous compile", { timeout: 60_000 }, async () => {
    const keyHash = randomBytes(32).toString("hex");
    await change((tx) => tx.virtualKey.create({ data: { id: newId("virtualKey"), keyHash, prefix: "pck_y", name: "slow" } }));
    const compiler = createIncrementalCompiler(prisma);
    await compiler.compile(now);

    let release!: () => void;
    let written!: () => void;
    const wrote = new Promise<void>((resolve) => (written = resolve));
    const slow = change(async (tx) => {
      await tx.virtualKey.update({ where: { keyHash }, data: { status: "revoked" } });
      written();
      await new Promise<void>((resolve) => (release = resolve));
    });
    await wrote;
    // Compiled while the revocation is written but not committed: not visible yet.
    const during = await compiler.compile(now);
    expect(during.snapshot.keys[keyHash]!.status).toBe("active");
    release();
    await slow;
    const after = await compiler.compile(now);
    expect(after.full).toBe(false);
    expect(after.snapshot.keys[keyHash]!.status).toBe("revoked");
    expect(canonicalJson(after.snapshot)).toBe(await fullCompile());
  });

  it("stays exact while a long transaction elsewhere holds the horizon back", { timeout: 60_000 }, async () => {
    const hashes = Array.from({ length: 5 }, () => randomBytes(32).toString("hex"));
    await change(async (tx) => {
      for (const keyHash of hashes) await tx.virtualKey.create({ data: { id: newId("virtualKey"), keyHash, prefix: "pck_z", name: "held" } });
    });
    let release!: () => void;
    let started!: () => void;
    const holding = new Promise<void>((resolve) => (started = resolve));
    // An unrelated open transaction with a transaction id: every snapshot's xmin stays at or below it.
    const long = prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT pg_current_xact_id()::text AS xid`;
      started();
      await new Promise<void>((resolve) => (release = resolve));
    }, { timeout: 60_000 });
    await holding;
    const compiler = createIncrementalCompiler(prisma);
    await compiler.compile(now);
    for (const [i, keyHash] of hashes.entries()) {
      await change((tx) => tx.virtualKey.update({ where: { keyHash }, data: { status: i % 2 ? "disabled" : "revoked" } }));
      const result = await compiler.compile(now);
      expect(result.full).toBe(false);
      expect(canonicalJson(result.snapshot)).toBe(await fullCompile());
    }
    release();
    await long;
  });
});

import { createPrisma, readConfigVersion, type PrismaClient } from "@portcullis/db";
import { builtInRoleNames, builtInRoles, type Binding, type BuiltInRoleName, type PermissionQuery } from "@portcullis/policy";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Viewer } from "../auth/console-sessions";
import { fixtures, rowScoped } from "../testing/matrix-fixtures";
import { createMatrixSeed, type MatrixSeed, type Side } from "../testing/matrix-seed";
import { stubServices } from "../testing/stub-services";
import { declarationOf, type AuthzDeclaration, type TrpcContext } from "./init";
import { appRouter, createCaller } from "./root";

/**
 * The role x procedure matrix: every tRPC procedure, called as every built-in role (bound
 * organisation-wide, then bound to team A only, on team A's and team B's rows), against a
 * real database. What is expected comes from the built-in role definitions and each
 * procedure's declared permission, evaluated here independently of the code under test.
 */

const pepper = "matrix-pepper-".padEnd(40, "x");
let prisma: PrismaClient;
let seed: MatrixSeed;
const published: bigint[] = [];

const services = stubServices({
  keyPepper: pepper,
  encryptionKey: Buffer.alloc(32, 7).toString("base64"),
  gatewayUrl: "http://gateway.test",
  publishConfigChange: async (v) => void published.push(v),
  resolveSecret: async () => "sk-resolved",
  probeProvider: async () => ({ ok: true, message: "stubbed" }),
});

type Procedure = { _def: { type: "query" | "mutation" | "subscription"; middlewares: unknown[] } };
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, Procedure>);

function viewer(bindings: Binding[]): Viewer {
  return { actorType: "user", sessionId: "ses_matrix", user: { id: seed.actorUserId, email: "actor@matrix.test", name: "Actor", isBootstrapAdmin: false }, bindings };
}

function call(bindings: Binding[], path: string, input: unknown): Promise<unknown> {
  const ctx: TrpcContext = { prisma, viewer: viewer(bindings), meta: { ip: "198.51.100.1", userAgent: "matrix" }, services };
  let node: unknown = createCaller(ctx);
  for (const part of path.split(".")) node = (node as Record<string, unknown>)[part];
  return (node as (i: unknown) => Promise<unknown>)(input);
}

async function outcome(promise: Promise<unknown>): Promise<{ code: string; message?: string }> {
  try {
    await promise;
    return { code: "OK" };
  } catch (e) {
    if (e instanceof TRPCError) return { code: e.code, message: e.message };
    throw e;
  }
}

/** An independent reading of a permission query against a role's permission list. */
function grants(permissions: readonly string[], query: PermissionQuery): boolean {
  if (typeof query === "string") return permissions.includes(query);
  if ("and" in query) return query.and.length > 0 && query.and.every((q) => grants(permissions, q));
  return query.or.some((q) => grants(permissions, q));
}

/** Whether a role bound globally (teamId null) or to team A may call a procedure on `side`'s rows. */
function expectedAllowed(role: BuiltInRoleName, boundTo: "global" | "A", decl: AuthzDeclaration, side: Side, path: string): boolean {
  if (decl.scope === "self") return true;
  if (!grants(builtInRoles[role], decl.query!)) return false;
  if (boundTo === "global") return true;
  if (decl.scope === "global") return false;
  if (decl.scope === "team") return side === "A";
  return side === "A" || !rowScoped.has(path);
}

beforeAll(async () => {
  prisma = createPrisma(process.env.DATABASE_URL ?? "", { max: 4 });
  seed = await createMatrixSeed(prisma, pepper);
});

afterAll(async () => {
  await prisma?.$disconnect();
});

describe("the procedure registry", () => {
  it("has a declaration and a fixture for every procedure, and nothing stale", () => {
    for (const [path, p] of procedures) {
      expect(declarationOf(p), `${path} declares no permission`).toBeDefined();
      expect(fixtures[path], `${path} has no fixture in testing/matrix-fixtures.ts`).toBeDefined();
    }
    expect(Object.keys(fixtures).sort()).toEqual(procedures.map(([path]) => path).sort());
  });

  it("declares a non-read permission for every mutation", () => {
    for (const [path, p] of procedures.filter(([, p]) => p._def.type === "mutation")) {
      const decl = declarationOf(p)!;
      expect(decl.scope, path).not.toBe("self");
      const leaves = JSON.stringify(decl.query).match(/"[a-z_]+\.[a-z_]+"/g) ?? [];
      expect(leaves.length, path).toBeGreaterThan(0);
      for (const leaf of leaves) expect(leaf.endsWith('.read"'), `${path} is a mutation guarded by ${leaf}`).toBe(false);
    }
  });
});

describe.each(builtInRoleNames.map((role) => [role]))("%s", (role) => {
  const cases: [string, "global" | "A", Side][] = [];
  for (const [path] of procedures) {
    cases.push([path, "global", "A"], [path, "A", "A"], [path, "A", "B"]);
  }

  it.each(cases)("%s (bound %s, on team %s's rows)", async (path, boundTo, side) => {
    const decl = declarationOf(procedures.find(([p]) => p === path)![1])!;
    const bindings: Binding[] = [{ role, permissions: builtInRoles[role], teamId: boundTo === "global" ? null : seed.teams.A }];
    const input = await fixtures[path]!(seed, side);
    const isMutation = procedures.find(([p]) => p === path)![1]._def.type === "mutation";
    const versionBefore = await readConfigVersion(prisma);
    const auditBefore = await prisma.auditEvent.count({ where: { actorId: seed.actorUserId } });

    const result = await outcome(call(bindings, path, input));
    const allowed = expectedAllowed(role, boundTo, decl, side, path);

    if (allowed) {
      expect(result, `${role}@${boundTo} should be allowed ${path}`).toEqual({ code: "OK" });
      if (isMutation) {
        // Every allowed mutation bumped the version once, audited itself and published.
        expect(await readConfigVersion(prisma)).toBe(versionBefore + 1n);
        expect(await prisma.auditEvent.count({ where: { actorId: seed.actorUserId } })).toBeGreaterThan(auditBefore);
        expect(published.at(-1)).toBe(versionBefore + 1n);
      }
    } else {
      // A row outside the caller's teams is filtered out by the query: "not found", not "forbidden".
      const filteredOut = rowScoped.has(path) && boundTo === "A" && side === "B" && grants(builtInRoles[role], decl.query!);
      const denial = filteredOut ? "NOT_FOUND" : "FORBIDDEN";
      expect(result.code, `${role}@${boundTo} must be refused ${path} on team ${side}: ${result.message ?? "it succeeded"}`).toBe(denial);
      expect(await readConfigVersion(prisma)).toBe(versionBefore);
      expect(await prisma.auditEvent.count({ where: { actorId: seed.actorUserId } })).toBe(auditBefore);
    }
  });
});

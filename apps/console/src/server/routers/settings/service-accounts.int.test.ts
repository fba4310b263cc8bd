import { createPrisma, type PrismaClient } from "@portcullis/db";
import type { BuiltInRoleName } from "@portcullis/policy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleApiRequest } from "../../api/handle";
import { createMatrixSeed, type MatrixSeed } from "../../testing/matrix-seed";
import { stubServices } from "../../testing/stub-services";
import { roleBinding, testCaller, trpcCodeOf } from "../../testing/test-caller";

let prisma: PrismaClient;
let s: MatrixSeed;
const services = stubServices({ keyPepper: "sa-pepper".padEnd(40, "s") });

const as = (role: BuiltInRoleName) => testCaller({ prisma, services, userId: s.actorUserId, bindings: [roleBinding(role)], label: "sa" }).settings.serviceAccounts;

async function api(method: string, path: string, token: string, body?: unknown) {
  const req = new Request(`http://console.test/api/v1${path}`, { method, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  const res = await handleApiRequest(req, path, { ip: null, userAgent: null }, { prisma, services });
  return { status: res.status, body: (await res.json()) as { error?: { message: string } } };
}

beforeAll(async () => {
  prisma = createPrisma(process.env.DATABASE_URL ?? "", { max: 4 });
  s = await createMatrixSeed(prisma, services.keyPepper);
});

afterAll(async () => {
  await prisma?.$disconnect();
});

describe("API token scopes", () => {
  it("narrows a token to the chosen permissions of its account's role", async () => {
    const account = await as("Owner").create({ name: s.unique("ci-admin"), roleId: s.roles.Admin, teamId: null });
    expect(account.permissions).toEqual(expect.arrayContaining(["virtual_key.read", "team.update"]));
    const { token, account: after } = await as("Owner").createToken({ serviceAccountId: account.id, name: "read-keys", scopes: ["virtual_key.read", "virtual_key.read"] });
    expect(after.tokens[0]).toMatchObject({ name: "read-keys", scopes: ["virtual_key.read"] });

    expect((await api("GET", "/virtual-keys", token)).status).toBe(200);
    const refused = await api("POST", "/teams", token, { name: s.unique("Team"), slug: s.unique("t") });
    expect(refused.status).toBe(403);
    expect(refused.body.error?.message).toBe("Missing permission: team.update.");

    const unscoped = await as("Owner").createToken({ serviceAccountId: account.id, name: "all" });
    expect(unscoped.account.tokens.find((t) => t.name === "all")!.scopes).toEqual([]);
    expect((await api("POST", "/teams", unscoped.token, { name: s.unique("Team"), slug: s.unique("t") })).status).toBe(201);
  });

  it("refuses scopes the account's role does not grant, and unknown permissions", async () => {
    const account = await as("Owner").create({ name: s.unique("ci-viewer"), roleId: s.roles.Viewer, teamId: null });
    await expect(as("Owner").createToken({ serviceAccountId: account.id, name: "t", scopes: ["virtual_key.revoke"] })).rejects.toThrow("The account's roles do not grant virtual_key.revoke: a token can only be narrowed.");
    expect(await trpcCodeOf(as("Owner").createToken({ serviceAccountId: account.id, name: "t", scopes: ["nothing.here"] }))).toBe("BAD_REQUEST");
    expect(await prisma.apiToken.count({ where: { serviceAccountId: account.id } })).toBe(0);
  });
});

describe("changing a service account's role", () => {
  it("replaces its role and scope, audited, and its existing tokens follow", async () => {
    const account = await as("Admin").create({ name: s.unique("ci-dev"), roleId: s.roles.Viewer, teamId: null });
    const { token } = await as("Admin").createToken({ serviceAccountId: account.id, name: "t" });
    expect((await api("POST", "/virtual-keys", token, { name: s.unique("k"), teamId: s.teams.A })).status).toBe(403);

    const updated = await as("Admin").setRole({ id: account.id, roleId: s.roles.Developer, teamId: s.teams.A });
    expect(updated.roles).toEqual([expect.objectContaining({ role: "Developer", teamId: s.teams.A })]);
    expect((await api("POST", "/virtual-keys", token, { name: s.unique("k"), teamId: s.teams.A })).status).toBe(201);
    expect((await api("POST", "/virtual-keys", token, { name: s.unique("k"), teamId: s.teams.B })).status).toBe(403);
    const event = await prisma.auditEvent.findFirstOrThrow({ where: { action: "service_account.update", targetId: account.id } });
    expect(event.before).toMatchObject({ roles: [expect.objectContaining({ role: "Viewer" })] });
  });

  it("lets nobody grant, or take away, more than they hold", async () => {
    const owned = await as("Owner").create({ name: s.unique("owner-bot"), roleId: s.roles.Owner, teamId: null });
    expect(await trpcCodeOf(as("Admin").setRole({ id: owned.id, roleId: s.roles.Viewer, teamId: null }))).toBe("FORBIDDEN");
    const plain = await as("Admin").create({ name: s.unique("plain"), roleId: s.roles.Viewer, teamId: null });
    expect(await trpcCodeOf(as("Admin").setRole({ id: plain.id, roleId: s.roles.Owner, teamId: null }))).toBe("FORBIDDEN");
    expect(await trpcCodeOf(as("Security").setRole({ id: plain.id, roleId: s.roles.Viewer, teamId: null }))).toBe("FORBIDDEN");
    expect((await prisma.roleBinding.findMany({ where: { serviceAccountId: owned.id } })).map((b) => b.roleId)).toEqual([s.roles.Owner]);
  });
});

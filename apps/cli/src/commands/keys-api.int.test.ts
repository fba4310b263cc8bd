import { apiTokenPrefix, generateToken, hashVirtualKey } from "@portcullis/core";
import { createPrisma, type PrismaClient } from "@portcullis/db";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createMatrixSeed, type MatrixSeed } from "../../../console/src/server/testing/matrix-seed";
import { stubServices } from "../../../console/src/server/testing/stub-services";
import { runCommand as run, serveConsoleApi, serviceAccountToken, type ConsoleApiServer } from "./api-test-server";
import { keysListCommand, keysRotateCommand, keysStatusCommand } from "./keys";
import { statusCommand } from "./status";

const pepper = "cli-api-pepper-".padEnd(40, "c");
let prisma: PrismaClient;
let s: MatrixSeed;
let server: ConsoleApiServer;
let url: string;
const services = stubServices({ keyPepper: pepper });

let developer: { id: string; token: string };
let viewer: { id: string; token: string };

beforeAll(async () => {
  prisma = createPrisma(process.env.DATABASE_URL ?? "", { max: 4 });
  s = await createMatrixSeed(prisma, pepper);
  server = await serveConsoleApi({ prisma, services });
  url = server.url;
  developer = await serviceAccountToken(prisma, s, "Developer", s.teams.A);
  viewer = await serviceAccountToken(prisma, s, "Viewer");
});

afterEach(() => vi.restoreAllMocks());

afterAll(async () => {
  await server?.close();
  await prisma?.$disconnect();
});

describe("portcullis keys through the management API", () => {
  it("lists the keys the token may read, and only those", async () => {
    const mine = await s.newKey("A");
    const theirs = await s.newKey("B");
    const r = await run(() => keysListCommand({ url, token: developer.token }));
    expect(r).toMatchObject({ code: 0, err: "" });
    expect(r.out).toContain(mine);
    expect(r.out).not.toContain(theirs);
    expect(r.out).toMatch(new RegExp(`${mine}  pck_\\S+…  active\\s+prod\\s+key-`));
  });

  it("revokes by id, audited as the service account, without opening the database", async () => {
    const id = await s.newKey("A");
    const r = await run(() => keysStatusCommand(id, "revoked", { url, token: developer.token }));
    expect(r.code).toBe(0);
    expect(r.out).toContain(`revoked pck_`);
    expect(r.out).toContain(`through ${url}`);
    expect((await prisma.virtualKey.findUniqueOrThrow({ where: { id } })).status).toBe("revoked");
    const event = await prisma.auditEvent.findFirstOrThrow({ where: { action: "virtual_key.revoke", targetId: id } });
    expect(event).toMatchObject({ actorType: "service_account", actorId: developer.id });
    expect(event.metadata).toMatchObject({ via: "api" });
  });

  it("disables and enables a key, rotates it by name, and revokes the whole rotation chain by name", async () => {
    const id = await s.newKey("A");
    const { name } = await prisma.virtualKey.findUniqueOrThrow({ where: { id } });
    expect((await run(() => keysStatusCommand(name, "disabled", { url, token: developer.token }))).code).toBe(0);
    expect((await prisma.virtualKey.findUniqueOrThrow({ where: { id } })).status).toBe("disabled");
    expect((await run(() => keysStatusCommand(id, "active", { url, token: developer.token }))).code).toBe(0);
    expect((await prisma.virtualKey.findUniqueOrThrow({ where: { id } })).status).toBe("active");

    const rotated = await run(() => keysRotateCommand(name, { grace: "2h", url, token: developer.token }));
    expect(rotated.code).toBe(0);
    const secret = /: (pck_\S+)$/m.exec(rotated.out)?.[1];
    expect(secret).toBeDefined();
    const fresh = await prisma.virtualKey.findFirstOrThrow({ where: { rotatedFromId: id } });
    expect(fresh.keyHash).toBe(hashVirtualKey(pepper, secret!));
    expect((await prisma.virtualKey.findUniqueOrThrow({ where: { id } })).graceExpiresAt).not.toBeNull();

    expect((await run(() => keysStatusCommand(name, "revoked", { url, token: developer.token }))).code).toBe(0);
    const chain = await prisma.virtualKey.findMany({ where: { name } });
    expect(chain.map((k) => k.status)).toEqual(["revoked", "revoked"]);
  });

  it("refuses a grace period the API cannot express instead of rounding it", async () => {
    const id = await s.newKey("A");
    await expect(keysRotateCommand(id, { grace: "30m", url, token: developer.token })).rejects.toThrow(/whole hours/);
    expect(await prisma.virtualKey.count({ where: { rotatedFromId: id } })).toBe(0);
  });

  it("shows a permission denial with its status and message, exits 1 and changes nothing", async () => {
    const id = await s.newKey("A");
    const r = await run(() => keysStatusCommand(id, "revoked", { url, token: viewer.token }));
    expect(r.code).toBe(1);
    expect(r.err).toBe(`error: API 403 FORBIDDEN on POST /api/v1/virtual-keys/${id}/revoke: Missing permission: virtual_key.revoke in any team.`);
    expect((await prisma.virtualKey.findUniqueOrThrow({ where: { id } })).status).toBe("active");
  });

  it("shows a key outside the token's teams as not found", async () => {
    const theirs = await s.newKey("B");
    const r = await run(() => keysStatusCommand(theirs, "disabled", { url, token: developer.token }));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^error: API 404 NOT_FOUND on GET \/api\/v1\/virtual-keys\/vk_\S+: Virtual key not found/);
  });

  it("refuses a bad token with 401 and exit 1", async () => {
    for (const token of ["pca_not-a-real-token", generateToken(apiTokenPrefix)]) {
      const r = await run(() => keysListCommand({ url, token }));
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/^error: API 401 UNAUTHORIZED on GET \/api\/v1\/virtual-keys: A valid admin API token is required/);
      expect(r.out).toBe("");
    }
  });

  it("says when the URL is not a console or nothing listens there", async () => {
    const wrong = await run(() => keysListCommand({ url: `${url}/not-console`, token: developer.token }));
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain("is not JSON");
    const closed = await run(() => keysListCommand({ url: "http://127.0.0.1:9", token: developer.token }));
    expect(closed.code).toBe(1);
    expect(closed.err).toMatch(/^error: API UNREACHABLE on GET \/api\/v1\/virtual-keys: cannot reach the console at http:\/\/127\.0\.0\.1:9/);
  });
});

describe("portcullis status through the management API", () => {
  it("reports the committed version for a token with fleet.read", async () => {
    const version = (await prisma.configState.findUniqueOrThrow({ where: { id: 1 } })).version;
    const r = await run(() => statusCommand({ url, token: viewer.token }));
    expect(r.code).toBe(0);
    expect(r.out).toContain(`configuration  v${version} committed (via ${url})`);
    const json = await run(() => statusCommand({ url, token: viewer.token, json: true }));
    expect(JSON.parse(json.out)).toMatchObject({ committedVersion: String(version), fleet: null });
  });

  it("is refused to a token without fleet.read", async () => {
    const r = await run(() => statusCommand({ url, token: developer.token }));
    expect(r.code).toBe(1);
    expect(r.err).toBe("error: API 403 FORBIDDEN on GET /api/v1/fleet: Missing permission: fleet.read.");
  });
});

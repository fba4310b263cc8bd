import { apiTokenPrefix, displayPrefix, generateToken, hashVirtualKey, newId } from "@portcullis/core";
import { createPrisma, type PrismaClient } from "@portcullis/db";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
// The console's own management API handler and test seed, served over real HTTP: the CLI is tested against what a running install answers.
import { handleApiRequest } from "../../../console/src/server/api/handle";
import type { ConsoleServices } from "../../../console/src/server/console-services";
import { createMatrixSeed, type MatrixSeed } from "../../../console/src/server/testing/matrix-seed";
import { keysListCommand, keysRotateCommand, keysStatusCommand } from "./keys";
import { statusCommand } from "./status";

const pepper = "cli-api-pepper-".padEnd(40, "c");
let prisma: PrismaClient;
let s: MatrixSeed;
let server: Server;
let url: string;
const services: ConsoleServices = {
  keyPepper: pepper,
  encryptionKey: undefined,
  gatewayUrl: undefined,
  publishConfigChange: async () => {},
  readFleet: async () => null,
  resolveSecret: async () => "",
  probeProvider: async () => ({ ok: true, message: "" }),
};

/** The console's /api/v1 route, minus Next.js: a Node request in, the handler's Response out. */
function serveApi(): Promise<Server> {
  const srv = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = chunks.length ? Buffer.concat(chunks) : undefined;
      const request = new Request(`http://${req.headers.host}${req.url}`, { method: req.method, headers: req.headers as Record<string, string>, body });
      const path = new URL(request.url).pathname;
      const answer = path.startsWith("/api/v1/")
        ? handleApiRequest(request, path.slice("/api/v1".length), { ip: "127.0.0.1", userAgent: req.headers["user-agent"] ?? null }, { prisma, services })
        : Promise.resolve(new Response("<html>not the console</html>", { status: 404, headers: { "content-type": "text/html" } }));
      void answer.then(async (r) => {
        res.writeHead(r.status, Object.fromEntries(r.headers));
        res.end(Buffer.from(await r.arrayBuffer()));
      });
    });
  });
  return new Promise((resolve) => srv.listen(0, "127.0.0.1", () => resolve(srv)));
}

async function tokenFor(role: "Developer" | "Viewer", teamId: string | null): Promise<{ id: string; token: string }> {
  const id = newId("serviceAccount");
  await prisma.serviceAccount.create({ data: { id, name: s.unique(`cli-${role.toLowerCase()}`), roleBindings: { create: { roleId: s.roles[role], teamId } } } });
  const token = generateToken(apiTokenPrefix);
  await prisma.apiToken.create({ data: { id: newId("apiToken"), name: "cli", tokenHash: hashVirtualKey(pepper, token), prefix: displayPrefix(token), serviceAccountId: id, scopes: [] } });
  return { id, token };
}

/** Runs a command function and returns its exit code with what it printed. */
async function run(command: () => Promise<number>): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void out.push(a.join(" ")));
  vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => void err.push(a.join(" ")));
  const code = await command();
  vi.restoreAllMocks();
  return { code, out: out.join("\n"), err: err.join("\n") };
}

let developer: { id: string; token: string };
let viewer: { id: string; token: string };

beforeAll(async () => {
  prisma = createPrisma(process.env.DATABASE_URL ?? "", { max: 4 });
  s = await createMatrixSeed(prisma, pepper);
  server = await serveApi();
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  developer = await tokenFor("Developer", s.teams.A);
  viewer = await tokenFor("Viewer", null);
});

afterEach(() => vi.restoreAllMocks());

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
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

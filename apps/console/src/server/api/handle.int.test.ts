import { apiTokenPrefix, displayPrefix, generateToken, hashVirtualKey, newId } from "@portcullis/core";
import { createPrisma, type PrismaClient } from "@portcullis/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMatrixSeed, type MatrixSeed } from "../testing/matrix-seed";
import { stubServices } from "../testing/stub-services";
import { handleApiRequest } from "./handle";

const pepper = "api-pepper-".padEnd(40, "z");
let prisma: PrismaClient;
let s: MatrixSeed;
const services = stubServices({ keyPepper: pepper });

async function account(name: string, role: "Developer" | "Finance", teamId: string | null, token: { revoked?: boolean; expired?: boolean; disabled?: boolean } = {}) {
  const id = newId("serviceAccount");
  await prisma.serviceAccount.create({
    data: { id, name: s.unique(name), disabledAt: token.disabled ? new Date() : null, roleBindings: { create: { roleId: s.roles[role], teamId } } },
  });
  const raw = generateToken(apiTokenPrefix);
  await prisma.apiToken.create({
    data: {
      id: newId("apiToken"),
      name: "t",
      tokenHash: hashVirtualKey(pepper, raw),
      prefix: displayPrefix(raw),
      serviceAccountId: id,
      scopes: [],
      revokedAt: token.revoked ? new Date() : null,
      expiresAt: token.expired ? new Date(Date.now() - 1000) : null,
    },
  });
  return { id, token: raw };
}

async function api(method: string, path: string, token: string | null, body?: unknown) {
  const req = new Request(`http://console.test/api/v1${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const url = new URL(req.url);
  const res = await handleApiRequest(req, url.pathname.replace(/^\/api\/v1/, ""), { ip: "192.0.2.10", userAgent: "api-test" }, { prisma, services });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> & { error?: { code: string; message: string; issues?: unknown[] } } };
}

let developer: { id: string; token: string };
let finance: { id: string; token: string };

beforeAll(async () => {
  prisma = createPrisma(process.env.DATABASE_URL ?? "", { max: 4 });
  s = await createMatrixSeed(prisma, pepper);
  developer = await account("ci-dev", "Developer", s.teams.A);
  finance = await account("finance-bot", "Finance", null);
});

afterAll(async () => {
  await prisma?.$disconnect();
});

describe("authentication", () => {
  it("refuses a missing, malformed, unknown, revoked or expired token, or a disabled account, the same way", async () => {
    const revoked = await account("revoked", "Finance", null, { revoked: true });
    const expired = await account("expired", "Finance", null, { expired: true });
    const disabled = await account("disabled", "Finance", null, { disabled: true });
    const unknown = generateToken(apiTokenPrefix);
    for (const token of [null, "pca_not-a-token", unknown, revoked.token, expired.token, disabled.token, `${developer.token.slice(0, -1)}x`]) {
      const res = await api("GET", "/teams", token);
      expect(res.status, String(token)).toBe(401);
      expect(res.headers.get("www-authenticate")).toContain("Bearer");
      expect(res.body.error?.code).toBe("UNAUTHORIZED");
    }
  });

  it("records when a token was last used", async () => {
    await api("GET", "/teams", finance.token);
    const token = await prisma.apiToken.findFirstOrThrow({ where: { serviceAccountId: finance.id } });
    expect(token.lastUsedAt).not.toBeNull();
  });
});

describe("virtual keys over the API, as a Developer service account of team A", () => {
  it("creates, lists, rotates and revokes keys in its team, audited as the service account", async () => {
    const created = await api("POST", "/virtual-keys", developer.token, { name: "from-ci", teamId: s.teams.A, allowedModels: ["gpt-4o-mini"] });
    expect(created.status).toBe(201);
    const key = created.body.key as { id: string; prefix: string };
    expect(String(created.body.secret)).toMatch(/^pck_/);

    const listed = await api("GET", "/virtual-keys?limit=200", developer.token);
    const items = listed.body.items as { id: string; teamId: string }[];
    expect(items.some((k) => k.id === key.id)).toBe(true);
    expect(items.every((k) => k.teamId === s.teams.A)).toBe(true);

    const rotated = await api("POST", `/virtual-keys/${key.id}/rotate`, developer.token, { graceHours: 1 });
    expect(rotated.status).toBe(201);
    const next = rotated.body.key as { id: string; rotatedFromId: string };
    expect(next.rotatedFromId).toBe(key.id);

    const revoked = await api("POST", `/virtual-keys/${next.id}/revoke`, developer.token);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ status: "revoked" });

    const event = await prisma.auditEvent.findFirstOrThrow({ where: { action: "virtual_key.revoke", targetId: next.id } });
    expect(event).toMatchObject({ actorType: "service_account", actorId: developer.id, ip: "192.0.2.10", userAgent: "api-test" });
    expect(event.metadata).toMatchObject({ via: "api" });
  });

  it("is refused outside its team, and sees other teams' keys as not found", async () => {
    expect((await api("POST", "/virtual-keys", developer.token, { name: "x", teamId: s.teams.B })).status).toBe(403);
    const theirs = await s.newKey("B");
    expect((await api("POST", `/virtual-keys/${theirs}/revoke`, developer.token)).status).toBe(404);
    expect((await api("GET", "/audit-events", developer.token)).status).toBe(403);
  });

  it("answers invalid input with 400 and the fields at fault", async () => {
    const bad = await api("POST", "/virtual-keys", developer.token, { name: "", teamId: s.teams.A, allowedModels: "not-a-list" });
    expect(bad.status).toBe(400);
    expect(bad.body.error?.issues).toEqual(expect.arrayContaining([expect.objectContaining({ path: "name" }), expect.objectContaining({ path: "allowedModels" })]));
    expect((await api("POST", "/virtual-keys", developer.token, "{not json")).status).toBe(400);
  });
});

describe("budgets and audit over the API, as a Finance service account", () => {
  it("updates a budget but cannot read the audit log", async () => {
    const id = await s.newKeyBudget("B");
    const res = await api("PATCH", `/budgets/${id}`, finance.token, { limitUsd: 42 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id, limitUsd: 42 });
    expect((await api("GET", "/audit-events", finance.token)).status).toBe(403);
  });
});

describe("routing", () => {
  it("answers 404 for unknown paths and 405 with Allow for wrong methods", async () => {
    expect((await api("GET", "/nope", finance.token)).status).toBe(404);
    const wrong = await api("PUT", `/teams/${s.teams.A}`, finance.token, {});
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("GET, PATCH, DELETE");
  });
});

import { expect, test } from "@playwright/test";
import { e2eGateway } from "../support/e2e-env";
import { eventually, runCli } from "../support/sso";

/**
 * The management API as a script would use it: an admin API token of an Owner service
 * account (from `portcullis bootstrap --api-token`), the OpenAPI document, and the key
 * lifecycle, with the gateway honouring each change.
 */
test.describe.configure({ mode: "serial" });

let token = "";
const auth = () => ({ authorization: `Bearer ${token}` });

test.beforeAll(() => {
  token = /(pca_[0-9A-Za-z]{38})/.exec(runCli(["bootstrap", "--api-token", "--name", `e2e-api-${Date.now().toString(36)}`]))?.[1] ?? "";
  expect(token, "portcullis bootstrap --api-token prints the token").not.toBe("");
});

test("publishes an OpenAPI 3.1 document naming each operation's permission", async ({ request }) => {
  const res = await request.get("/api/v1/openapi.json");
  expect(res.status()).toBe(200);
  const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, { "x-portcullis-permission": string }>> };
  expect(doc.openapi).toBe("3.1.0");
  expect(doc.paths["/virtual-keys"]?.post?.["x-portcullis-permission"]).toBe("virtual_key.create");
  expect(doc.paths["/audit-events"]?.get?.["x-portcullis-permission"]).toBe("audit.read");
});

test("refuses calls without a valid token", async ({ request }) => {
  expect((await request.get("/api/v1/teams")).status()).toBe(401);
  expect((await request.get("/api/v1/teams", { headers: { authorization: "Bearer pca_0000" } })).status()).toBe(401);
});

test("creates a team and a key; the key authenticates at the gateway until it is revoked; the audit log shows who did it", async ({ request }) => {
  const slug = `api-${Date.now().toString(36)}`;
  const team = await request.post("/api/v1/teams", { headers: auth(), data: { name: `API team ${slug}`, slug } });
  expect(team.status()).toBe(201);
  const teamId = ((await team.json()) as { id: string }).id;

  const invalid = await request.post("/api/v1/virtual-keys", { headers: auth(), data: { name: "", teamId } });
  expect(invalid.status()).toBe(400);
  expect(((await invalid.json()) as { error: { issues: { path: string }[] } }).error.issues.map((i) => i.path)).toContain("name");

  const created = await request.post("/api/v1/virtual-keys", { headers: auth(), data: { name: "api-made", teamId, allowedEndpoints: ["models"] } });
  expect(created.status()).toBe(201);
  const { key, secret } = (await created.json()) as { key: { id: string }; secret: string };

  // GET /v1/models needs only a valid key (no provider), so it shows the key authenticates.
  const models = () => fetch(`${e2eGateway.url}/v1/models`, { headers: { authorization: `Bearer ${secret}` } }).then((r) => r.status);
  await eventually(async () => (await models()) === 200, "the API-made key to authenticate");

  const revoked = await request.post(`/api/v1/virtual-keys/${key.id}/revoke`, { headers: auth() });
  expect(revoked.status()).toBe(200);
  await eventually(async () => (await models()) === 401, "the revoked key to be refused");

  const events = await request.get(`/api/v1/audit-events?action=virtual_key.revoke&limit=5`, { headers: auth() });
  expect(events.status()).toBe(200);
  const items = ((await events.json()) as { items: { targetId: string; actorType: string }[] }).items;
  expect(items.find((e) => e.targetId === key.id)).toMatchObject({ actorType: "service_account" });
});

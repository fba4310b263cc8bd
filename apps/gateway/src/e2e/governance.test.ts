import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import OpenAI from "openai";
import Anthropic from "@anthropic-ai/sdk";
import { SignJWT } from "jose";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { generateVirtualKey, hashVirtualKey, type CompiledBudget, type ConfigSnapshot } from "@portcullis/core";
import { startOpenAiSimulator, type SimulatorHandle } from "@portcullis/testkit";
import { buildSnapshot, startTestGateway, testPepper, type TestGateway } from "../testing/harness";

/** Governance through the real HTTP path: budgets, rate limits, resets, alerts, keys, tenants. */
let sim: SimulatorHandle;
let hook: Server;
let hookUrl: string;
const hookBodies: unknown[] = [];
let clock = Date.parse("2026-12-01T03:00:00Z"); // 22:00 on 30 Nov in New York
const gateways: TestGateway[] = [];

beforeAll(async () => {
  sim = await startOpenAiSimulator({ apiKey: "sk-sim" });
  hook = createServer((req, res) => {
    let b = "";
    req.on("data", (d: Buffer) => (b += d));
    req.on("end", () => {
      hookBodies.push(JSON.parse(b));
      res.end("ok");
    });
  });
  await new Promise<void>((r) => hook.listen(0, "127.0.0.1", () => r()));
  hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
});
afterEach(async () => {
  while (gateways.length) await gateways.pop()!.close();
});
afterAll(async () => {
  await sim.close();
  await new Promise((r) => hook.close(r));
});

const teamId = "team_ml";
const keyText = generateVirtualKey();
const keyHash = hashVirtualKey(testPepper, keyText);

function snapshot(over: { budget?: Partial<CompiledBudget>; rpm?: number; extra?: Partial<ConfigSnapshot> } = {}): ConfigSnapshot {
  const s = buildSnapshot(
    [{ name: "oai", type: "openai", baseUrl: `${sim.url}/v1`, credential: "env://SIM_KEY", models: ["gpt-4o-mini"] }],
    [{ plaintext: keyText, teamId, name: "notebooks" }],
    {
      teams: { [teamId]: { id: teamId, slug: "ml-research", name: "ML", customerId: null } },
      // $0.001 per input or output token keeps the arithmetic readable.
      prices: [{ provider: "openai", model: "gpt-4o-mini", inputPerMTok: 1000, outputPerMTok: 1000, cacheReadPerMTok: 500, cacheWritePerMTok: null, effectiveFrom: 0 }],
      ...over.extra,
    },
  );
  if (over.budget) {
    s.budgets[`team:${teamId}`] = [{
      id: "bud_team", level: "team", scopeId: teamId, label: 'team "ml-research"', limitMicros: 1_000_000, period: "month",
      timeZone: "America/New_York", calendarAligned: true, periodStartMs: 0, softThresholdPct: 50, alertWebhookUrl: hookUrl, ...over.budget,
    }];
  }
  if (over.rpm) s.rateLimits[`virtual_key:vk_0`] = [{ id: "rl_key", level: "virtual_key", scopeId: "vk_0", label: 'virtual key "notebooks"', rpm: over.rpm, tpm: null, windowSeconds: 60 }];
  return s;
}

async function gateway(s: ConfigSnapshot) {
  const gw = await startTestGateway(s, { secretEnv: { SIM_KEY: "sk-sim", TENANT_SECRET: "tenant-signing-secret-0123456789abcdef" }, now: () => clock });
  gateways.push(gw);
  return { gw, client: new OpenAI({ apiKey: keyText, baseURL: `${gw.url}/v1`, maxRetries: 0 }) };
}

const ask = (client: OpenAI) => client.chat.completions.create({ model: "oai/gpt-4o-mini", max_tokens: 20, messages: [{ role: "user", content: "count to ten please" }] });

describe("budgets", () => {
  it("admits until the team budget would overshoot, then answers 402 naming the limit, level and reset", async () => {
    const { gw, client } = await gateway(snapshot({ budget: {} }));
    let admitted = 0;
    let denial: unknown;
    for (let i = 0; i < 200 && !denial; i++) {
      try {
        await ask(client);
        admitted++;
      } catch (e) {
        denial = e;
      }
    }
    expect(admitted).toBeGreaterThan(5);
    expect(denial).toBeInstanceOf(OpenAI.APIError);
    expect((denial as InstanceType<typeof OpenAI.APIError>).status).toBe(402);
    expect((denial as Error).message).toContain('budget_exceeded: team "ml-research" monthly budget $1.00 reached; resets 2026-12-01T00:00:00-05:00');
    const spend = await gw.counters.spend({ id: "bud_team", level: "team", label: "", limitMicros: 1_000_000, period: "month", timeZone: "America/New_York", calendarAligned: true, periodStartMs: 0, softThresholdPct: 50 }, clock);
    expect(spend.spentMicros).toBeLessThanOrEqual(1_000_000);
    expect(spend.reservedMicros).toBe(0);
    // Recorded cost of admitted requests equals the counters' spend: settlement used real usage.
    const logged = gw.sink.requests.filter((r) => r.outcome === "success").reduce((s, r) => s + r.costMicros, 0);
    expect(logged).toBe(spend.spentMicros);
    expect(gw.sink.decisions.at(-1)).toMatchObject({ action: "gateway.budget_denied", code: "budget_exceeded", keyId: "vk_0" });

    // The soft threshold (50%) alerted exactly once, to the budget's webhook.
    await expect.poll(() => hookBodies.length).toBe(1);
    expect(hookBodies[0]).toMatchObject({ type: "budget.soft_threshold_reached", budget: { id: "bud_team" }, thresholdPct: 50, limitUsd: 1 });

    // Midnight in New York (05:00 UTC) starts December's period from zero.
    clock = Date.parse("2026-12-01T05:00:01Z");
    await expect(ask(client)).resolves.toBeDefined();
    clock = Date.parse("2026-12-01T03:00:00Z");
  });

  it("answers in Anthropic's shape on the Anthropic surface", async () => {
    const { gw } = await gateway(snapshot({ budget: { limitMicros: 1 } }));
    const anthropic = new Anthropic({ apiKey: keyText, baseURL: gw.url, maxRetries: 0 });
    const err = await anthropic.messages.create({ model: "oai/gpt-4o-mini", max_tokens: 10, messages: [{ role: "user", content: "hi" }] }).catch((e: unknown) => e);
    expect((err as InstanceType<typeof Anthropic.APIError>).status).toBe(402);
    expect((err as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({ type: "error", error: { type: "billing_error", code: "budget_exceeded" } });
  });
});

describe("rate limits", () => {
  it("sends x-ratelimit headers and answers 429 with retry-after at the limit", async () => {
    const { client } = await gateway(snapshot({ rpm: 3 }));
    const first = await client.chat.completions.create({ model: "oai/gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }).withResponse();
    expect(first.response.headers.get("x-ratelimit-limit-requests")).toBe("3");
    expect(first.response.headers.get("x-ratelimit-remaining-requests")).toBe("2");
    expect(first.response.headers.get("x-ratelimit-reset-requests")).toMatch(/s$/);
    await ask(client);
    await ask(client);
    const err = await ask(client).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    expect(Number((err as InstanceType<typeof OpenAI.RateLimitError>).headers.get("retry-after"))).toBeGreaterThan(0);
    expect((err as Error).message).toContain('virtual key "notebooks" limit of 3 requests per 60 s reached');
  });
});

describe("key lifecycle on a replica", () => {
  it("revocation and disabling take effect with the next configuration, and rotation keeps the old key during its grace", async () => {
    const { gw, client } = await gateway(snapshot());
    await expect(ask(client)).resolves.toBeDefined();
    const s = snapshot();
    s.keys[keyHash] = { ...s.keys[keyHash]!, status: "disabled" };
    gw.setSnapshot(s);
    await expect(ask(client)).rejects.toMatchObject({ status: 401, message: expect.stringContaining("is disabled") });
    s.keys[keyHash] = { ...s.keys[keyHash]!, status: "revoked" };
    gw.setSnapshot({ ...s });
    await expect(ask(client)).rejects.toMatchObject({ status: 401, message: expect.stringContaining("has been revoked") });

    const rotated = snapshot();
    const newKey = generateVirtualKey();
    rotated.keys[keyHash] = { ...rotated.keys[keyHash]!, graceExpiresAt: clock + 60_000 };
    rotated.keys[hashVirtualKey(testPepper, newKey)] = { ...rotated.keys[keyHash]!, id: "vk_new", graceExpiresAt: null };
    gw.setSnapshot(rotated);
    const fresh = new OpenAI({ apiKey: newKey, baseURL: `${gw.url}/v1`, maxRetries: 0 });
    await expect(ask(client)).resolves.toBeDefined();
    await expect(ask(fresh)).resolves.toBeDefined();
    clock += 60_001;
    await expect(ask(client)).rejects.toMatchObject({ status: 401, message: expect.stringContaining("grace period ended") });
    await expect(ask(fresh)).resolves.toBeDefined();
    clock = Date.parse("2026-12-01T03:00:00Z");
  });
});

describe("required headers and tenants", () => {
  const secret = "tenant-signing-secret-0123456789abcdef";
  const policies = (jwt: boolean): ConfigSnapshot["tenantPolicies"] => [
    { name: "env", headerName: "x-env", required: true, validation: "exact", value: "prod", jwtKeyRef: null, jwtClaim: null, isTenant: false },
    jwt
      ? { name: "tenant", headerName: "x-tenant-token", required: true, validation: "regex", value: null, jwtKeyRef: "env://TENANT_SECRET", jwtClaim: "tenant", isTenant: true }
      : { name: "tenant", headerName: "x-tenant-id", required: true, validation: "regex", value: "[a-z0-9-]{3,40}", jwtKeyRef: null, jwtClaim: null, isTenant: true },
  ];

  it("refuses a missing or invalid header with a 400 naming it, and attributes the tenant", async () => {
    const s = snapshot({ extra: { tenantPolicies: policies(false) } });
    s.budgets["tenant:acme"] = [{ id: "bud_acme", level: "tenant", scopeId: "acme", label: 'tenant "acme"', limitMicros: 1, period: "day", timeZone: "UTC", calendarAligned: true, periodStartMs: 0, softThresholdPct: 80, alertWebhookUrl: null }];
    const { gw, client } = await gateway(s);
    const call = (headers: Record<string, string>) => client.chat.completions.create({ model: "oai/gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }, { headers });
    await expect(call({ "x-tenant-id": "globex" })).rejects.toMatchObject({ status: 400, message: expect.stringContaining("missing required header x-env") });
    await expect(call({ "x-env": "dev", "x-tenant-id": "globex" })).rejects.toMatchObject({ status: 400, message: expect.stringContaining("header x-env") });
    await expect(call({ "x-env": "prod", "x-tenant-id": "Not Valid!" })).rejects.toMatchObject({ status: 400, message: expect.stringContaining("header x-tenant-id") });
    await expect(call({ "x-env": "prod", "x-tenant-id": "globex" })).resolves.toBeDefined();
    expect(gw.sink.requests.at(-1)!.tenantId).toBe("globex");
    // A tenant carries its own budget, without touching application code.
    await expect(call({ "x-env": "prod", "x-tenant-id": "acme" })).rejects.toMatchObject({ status: 402, message: expect.stringContaining('tenant "acme" daily budget') });
  });

  it("accepts a signed tenant token and refuses a forged one", async () => {
    const { gw, client } = await gateway(snapshot({ extra: { tenantPolicies: policies(true) } }));
    const sign = (k: string, tenant: string) => new SignJWT({ tenant }).setProtectedHeader({ alg: "HS256" }).setIssuedAt().setExpirationTime("5m").sign(new TextEncoder().encode(k));
    const call = async (token: string) => client.chat.completions.create({ model: "oai/gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }, { headers: { "x-env": "prod", "x-tenant-token": token } });
    await expect(call(await sign(secret, "initech"))).resolves.toBeDefined();
    expect(gw.sink.requests.at(-1)!.tenantId).toBe("initech");
    await expect(call(await sign("another-secret-0123456789abcdefghij", "initech"))).rejects.toMatchObject({ status: 400, message: expect.stringContaining("token rejected") });
    await expect(call("not.a.jwt")).rejects.toMatchObject({ status: 400 });
  });
});

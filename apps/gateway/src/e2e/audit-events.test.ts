import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { generateVirtualKey } from "@portcullis/core";
import { startOpenAiSimulator, type SimulatorHandle } from "@portcullis/testkit";
import { buildSnapshot, startTestGateway, type TestGateway } from "../testing/harness";

/**
 * Each governance decision is produced by the action that should produce it, with the request's
 * outcome in its log: what the audit trail (issue #7, item 1) records of the gateway.
 */
let sim: SimulatorHandle;
const gateways: TestGateway[] = [];
const keyText = generateVirtualKey();

beforeAll(async () => {
  sim = await startOpenAiSimulator({ apiKey: "sk-sim" });
});
afterEach(async () => {
  sim.setFaults(undefined);
  while (gateways.length) await gateways.pop()!.close();
});
afterAll(async () => {
  await sim.close();
});

async function gateway(key: Parameters<typeof buildSnapshot>[1][number] = { plaintext: keyText }, rpm?: number): Promise<TestGateway> {
  const s = buildSnapshot(
    [
      { name: "oai", type: "openai", baseUrl: `${sim.url}/v1`, credential: "env://SIM_KEY", models: ["gpt-4o-mini", "gpt-4o"] },
      { name: "other", type: "openai", baseUrl: `${sim.url}/v1`, credential: "env://SIM_KEY", models: ["other-model"] },
    ],
    [key],
  );
  if (rpm) s.rateLimits["virtual_key:vk_0"] = [{ id: "rl_audit", level: "virtual_key", scopeId: "vk_0", label: "audit key", rpm, tpm: null, windowSeconds: 60 }];
  const gw = await startTestGateway(s, { secretEnv: { SIM_KEY: "sk-sim" } });
  gateways.push(gw);
  return gw;
}

async function call(gw: TestGateway, model: string, opts: { key?: string } = {}) {
  const res = await fetch(`${gw.url}/v1/chat/completions`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${opts.key ?? keyText}`, "content-type": "application/json", "user-agent": "audit-test/1.0",
    },
    body: JSON.stringify({ model, max_tokens: 16, messages: [{ role: "user", content: "hi" }] }),
  });
  await res.text();
  return { status: res.status, requestId: res.headers.get("x-request-id")! };
}

describe("gateway events produced by the action", () => {
  it("a served request: request log with outcome success, no decision", async () => {
    const gw = await gateway();
    const r = await call(gw, "oai/gpt-4o-mini");
    expect(r.status).toBe(200);
    expect(gw.sink.requests.find((x) => x.id === r.requestId)).toMatchObject({ outcome: "success", status: 200, virtualKeyId: "vk_0", provider: "oai", modelUsed: "gpt-4o-mini" });
    expect(gw.sink.decisions).toHaveLength(0);
  });

  it("an upstream failure: request log with outcome error", async () => {
    const gw = await gateway();
    sim.setFaults({ status: 400 });
    const r = await call(gw, "oai/gpt-4o-mini");
    expect(r.status).toBe(400);
    expect(gw.sink.requests.find((x) => x.id === r.requestId)).toMatchObject({ outcome: "error", status: 400 });
    expect(gw.sink.decisions).toHaveLength(0);
  });

  it("an unknown key: gateway.auth_failed with ip and user agent, never the presented key", async () => {
    const gw = await gateway();
    const wrong = generateVirtualKey();
    const r = await call(gw, "oai/gpt-4o-mini", { key: wrong });
    expect(r.status).toBe(401);
    expect(gw.sink.decisions).toHaveLength(1);
    expect(gw.sink.decisions[0]).toMatchObject({ action: "gateway.auth_failed", outcome: "denied", keyId: null, requestId: r.requestId, ip: "127.0.0.1", userAgent: "audit-test/1.0" });
    expect(JSON.stringify(gw.sink.decisions[0])).not.toContain(wrong);
  });

  it("a model outside the key's allow-list: gateway.model_denied, and the request logged as denied", async () => {
    const gw = await gateway({ plaintext: keyText, allowedModels: ["oai/gpt-4o-mini"] });
    const r = await call(gw, "oai/gpt-4o");
    expect(r.status).toBe(403);
    expect(gw.sink.decisions).toEqual([expect.objectContaining({ action: "gateway.model_denied", outcome: "denied", keyId: "vk_0", code: "model_not_allowed", requestId: r.requestId })]);
    expect(gw.sink.requests.find((x) => x.id === r.requestId)).toMatchObject({ outcome: "denied", errorCode: "model_not_allowed", status: 403 });
  });

  it("a provider outside the key's allow-list: gateway.provider_denied", async () => {
    const gw = await gateway({ plaintext: keyText, allowedProviders: ["oai"] });
    const r = await call(gw, "other/other-model");
    expect(r.status).toBe(403);
    expect(gw.sink.decisions).toEqual([expect.objectContaining({ action: "gateway.provider_denied", outcome: "denied", keyId: "vk_0", code: "provider_not_allowed" })]);
  });

  it("over the key's rate limit: gateway.rate_limited naming the limit", async () => {
    const gw = await gateway({ plaintext: keyText }, 1);
    expect((await call(gw, "oai/gpt-4o-mini")).status).toBe(200);
    const r = await call(gw, "oai/gpt-4o-mini");
    expect(r.status).toBe(429);
    expect(gw.sink.decisions).toEqual([expect.objectContaining({ action: "gateway.rate_limited", outcome: "denied", keyId: "vk_0", code: "rate_limited", requestId: r.requestId })]);
    expect(gw.sink.requests.find((x) => x.id === r.requestId)).toMatchObject({ outcome: "denied", errorCode: "rate_limited" });
  });
});

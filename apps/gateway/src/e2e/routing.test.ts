import OpenAI from "openai";
import Anthropic from "@anthropic-ai/sdk";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { generateVirtualKey, type CompiledRoutingRule } from "@portcullis/core";
import { defaultBedrockCredentials, startAnthropicSimulator, startBedrockSimulator, startOpenAiSimulator, type SimulatorHandle } from "@portcullis/testkit";
import { buildSnapshot, startTestGateway, type TestGateway } from "../testing/harness";

/** Routing rules and resilience against injected upstream faults. */
let primary: SimulatorHandle;
let secondary: SimulatorHandle;
let claude: SimulatorHandle;
let bedrock: SimulatorHandle;
let gw: TestGateway;
let client: OpenAI;
const key = generateVirtualKey();

const rule = (name: string, models: string[], mode: string, targets: unknown[], policy: Record<string, unknown> = {}, priority = 10): CompiledRoutingRule => ({
  id: `rr_${name}`, name, priority, match: { models }, strategy: { mode, policy: { backoffMs: 10, maxBackoffMs: 50, ...policy } }, targets,
});

beforeAll(async () => {
  [primary, secondary, claude, bedrock] = await Promise.all([
    startOpenAiSimulator({ apiKey: "sk-a" }), startOpenAiSimulator({ apiKey: "sk-b" }), startAnthropicSimulator({ apiKey: "sk-c" }), startBedrockSimulator({}),
  ]);
  const snapshot = buildSnapshot(
    [
      { name: "primary", type: "openai", baseUrl: `${primary.url}/v1`, credential: "env://A", models: ["gpt-4o"] },
      { name: "secondary", type: "openai", baseUrl: `${secondary.url}/v1`, credential: "env://B", models: ["gpt-4o"] },
      { name: "claude", type: "anthropic", baseUrl: claude.url, credential: "env://C", models: ["claude-sonnet-4-5"] },
      { name: "bedrock", type: "bedrock", baseUrl: bedrock.url, region: "us-east-1", credential: "env://D", models: ["anthropic.claude-haiku-4-5-20251001-v1:0"] },
    ],
    [{ plaintext: key }],
    {
      routingRules: [
        rule("failover", ["gpt-resilient"], "fallback", [{ provider: "primary", model: "gpt-4o" }, { provider: "secondary", model: "gpt-4o" }], { retries: 1 }),
        rule("weighted", ["gpt-weighted"], "weighted", [{ provider: "primary", model: "gpt-4o", weight: 3 }, { provider: "secondary", model: "gpt-4o", weight: 1 }]),
        rule("cross", ["smart"], "fallback", [{ provider: "primary", model: "gpt-4o" }, { provider: "claude", model: "claude-sonnet-4-5" }, { provider: "bedrock", model: "anthropic.claude-haiku-4-5-20251001-v1:0" }], { retries: 0 }),
        rule("timeouts", ["gpt-fast"], "fallback", [{ provider: "primary", model: "gpt-4o" }, { provider: "secondary", model: "gpt-4o" }], { retries: 0, attemptTimeoutMs: 300 }),
        rule("single", ["gpt-solo"], "fallback", [{ provider: "primary", model: "gpt-4o" }], { retries: 2, maxRetryAfterMs: 1500 }),
      ],
    },
  );
  gw = await startTestGateway(snapshot, { secretEnv: { A: "sk-a", B: "sk-b", C: "sk-c", D: JSON.stringify(defaultBedrockCredentials) } });
  client = new OpenAI({ apiKey: key, baseURL: `${gw.url}/v1`, maxRetries: 0 });
});
afterEach(() => {
  for (const s of [primary, secondary, claude, bedrock]) s.setFaults(undefined);
  gw.services.circuits.reset();
});
afterAll(async () => {
  await gw?.close();
  await Promise.all([primary, secondary, claude, bedrock].map((s) => s?.close()));
});

const chat = (model: string) => client.chat.completions.create({ model, max_tokens: 16, messages: [{ role: "user", content: "hello" }] }).withResponse();
const count = (s: SimulatorHandle) => s.requests.filter((r) => r.path.endsWith("/chat/completions") || r.path.endsWith("/messages")).length;

describe("fallbacks and retries", () => {
  it("a 429 storm with retry-after falls back at once and says so", async () => {
    primary.setFaults({ status: 429, retryAfter: 30 });
    const before = count(primary);
    const { data, response } = await chat("gpt-resilient");
    expect(data.choices[0]!.message.content).toBeTruthy();
    expect(response.headers.get("x-portcullis-provider")).toBe("secondary");
    expect(response.headers.get("x-portcullis-attempts")).toBe("2");
    expect(decodeURIComponent(response.headers.get("x-portcullis-fallback-path")!)).toMatch(/^primary\/main \(429 .*\),secondary\/main$/);
    // retry-after 30 s exceeds what the policy waits for: no retry of the same target.
    expect(count(primary) - before).toBe(1);
    const log = gw.sink.requests.at(-1)!;
    expect(log.attempts).toBe(2);
    expect(log.fallbackPath[0]).toMatch(/^primary\/main \(429/);
  });

  it("a short retry-after is honoured by retrying the same target", async () => {
    primary.setFaults({ status: 429, retryAfter: 1, times: 1 });
    const before = count(primary);
    const started = Date.now();
    const { response } = await chat("gpt-solo");
    expect(response.headers.get("x-portcullis-provider")).toBe("primary");
    expect(count(primary) - before).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it("a 5xx burst is retried on the same target, then falls back", async () => {
    primary.setFaults({ status: 503, times: 1 });
    const first = await chat("gpt-resilient");
    expect(first.response.headers.get("x-portcullis-provider")).toBe("primary");
    expect(first.response.headers.get("x-portcullis-attempts")).toBe("2");
    primary.setFaults({ status: 500 });
    const second = await chat("gpt-resilient");
    expect(second.response.headers.get("x-portcullis-provider")).toBe("secondary");
  });

  it("a timeout falls back within the per-attempt limit", async () => {
    primary.setFaults({ timeout: true });
    const { response } = await chat("gpt-fast");
    expect(response.headers.get("x-portcullis-provider")).toBe("secondary");
    expect(decodeURIComponent(response.headers.get("x-portcullis-fallback-path")!)).toContain("(timeout)");
  });

  it("a 4xx other than 429 does not fall back", async () => {
    primary.setFaults({ status: 400 });
    const before = count(secondary);
    await expect(chat("gpt-resilient")).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    expect(count(secondary)).toBe(before);
  });

  it("crosses providers: an OpenAI request falls back to Anthropic, then Bedrock, and an Anthropic request to OpenAI", async () => {
    primary.setFaults({ status: 503 });
    const viaClaude = await chat("smart");
    expect(viaClaude.response.headers.get("x-portcullis-provider")).toBe("claude");
    expect(viaClaude.data.object).toBe("chat.completion");
    claude.setFaults({ status: 529 });
    const viaBedrock = await chat("smart");
    expect(viaBedrock.response.headers.get("x-portcullis-provider")).toBe("bedrock");
    primary.setFaults(undefined);
    claude.setFaults(undefined);
    const anthropic = new Anthropic({ apiKey: key, baseURL: gw.url, maxRetries: 0 });
    primary.setFaults({ status: 502 });
    const msg = await anthropic.messages.create({ model: "smart", max_tokens: 16, messages: [{ role: "user", content: "hi" }] }).withResponse();
    expect(msg.response.headers.get("x-portcullis-provider")).toBe("claude");
    expect(msg.data.type).toBe("message");
  });

  it("all targets down: 503 naming each target tried and why", async () => {
    primary.setFaults({ status: 503 });
    secondary.setFaults({ status: 500 });
    const err = await chat("gpt-resilient").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect((err as InstanceType<typeof OpenAI.APIError>).status).toBe(503);
    expect((err as Error).message).toMatch(/all 2 target\(s\) failed: primary\/main: 503 .*; secondary\/main: 500 /);
  });
});

describe("streams", () => {
  const stream = async (model: string) => {
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ model, stream: true, messages: [{ role: "user", content: "tell me a long story about gates and walls" }] }),
    });
    return { res, text: await res.text() };
  };
  it("a stream cut before its first token fails over; one cut after it is reported incomplete", async () => {
    primary.setFaults({ disconnectAfterChunks: 1 });
    const before = await stream("gpt-resilient");
    expect(before.res.headers.get("x-portcullis-provider")).toBe("secondary");
    expect(before.text).toContain("data: [DONE]");
    primary.setFaults({ disconnectAfterChunks: 4 });
    const after = await stream("gpt-resilient");
    expect(after.res.headers.get("x-portcullis-provider")).toBe("primary");
    expect(after.text).not.toContain("data: [DONE]");
    expect(after.text).toContain("stream_incomplete");
    expect(gw.sink.requests.at(-1)!.outcome).toBe("incomplete");
  });
});

describe("weights and circuits", () => {
  it("honours weights within statistical bounds", async () => {
    const a0 = count(primary);
    const b0 = count(secondary);
    const n = 400;
    for (let i = 0; i < n; i += 20) await Promise.all(Array.from({ length: 20 }, () => chat("gpt-weighted")));
    const a = count(primary) - a0;
    const b = count(secondary) - b0;
    expect(a + b).toBe(n);
    // Expected 75 % on primary; 5 standard deviations of binomial(400, 0.75) is ~10.8 %.
    expect(Math.abs(a / n - 0.75)).toBeLessThan(0.108);
  }, 60_000);

  it("opens the circuit after consecutive failures, skips the target, and recovers after the cool-down", async () => {
    const circuits = gw.services.circuits;
    primary.setFaults({ status: 503 });
    for (let i = 0; i < 3; i++) await chat("gpt-resilient");
    const primaryCircuit = () => circuits.view().find((v) => v.target.startsWith("pk_0|gpt-4o"))!;
    expect(primaryCircuit().state).toBe("open");
    const before = count(primary);
    const { response } = await chat("gpt-resilient");
    // The open target is planned last and not called while another serves.
    expect(response.headers.get("x-portcullis-provider")).toBe("secondary");
    expect(count(primary)).toBe(before);
    secondary.setFaults({ status: 500, times: 2 });
    const err = await chat("gpt-resilient").catch((e: unknown) => e);
    expect((err as Error).message).toContain("primary/main: circuit open");
    expect(count(primary)).toBe(before);
    const admin = await fetch(`${gw.url}/admin/circuits`);
    expect(await admin.json()).toMatchObject({ circuits: expect.arrayContaining([expect.objectContaining({ state: "open" })]) });
    primary.setFaults(undefined);
    // Cool-down elapsed (the test clock moves the breaker's clock forward), then a half-open probe closes it.
    (circuits as unknown as { now: () => number }).now = () => Date.now() + 60_000;
    const recovered = await chat("gpt-resilient");
    expect(recovered.response.headers.get("x-portcullis-provider")).toBe("primary");
    expect(primaryCircuit().state).toBe("closed");
  });
});

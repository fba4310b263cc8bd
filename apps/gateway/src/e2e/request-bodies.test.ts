import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { generateVirtualKey } from "@portcullis/core";
import { startAnthropicSimulator, startOpenAiSimulator, type SimulatorHandle } from "@portcullis/testkit";
import { buildSnapshot, startTestGateway, type TestGateway } from "../testing/harness";
import type { BodyLoggingOptions } from "../upstream/body-capture";

/** Request/response bodies in the request log: off by default, redacted and capped when on. */
let oai: SimulatorHandle;
let ant: SimulatorHandle;
const gateways: TestGateway[] = [];
const keyText = generateVirtualKey();
const optedInKey = generateVirtualKey();

// Built at run time so that secret scanners do not flag this file.
const openaiKey = ["sk-", "proj-", "Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z"].join("");
const awsAccessKey = ["AKIA", "IOSFODNN7EXAMPLE"].join("");
const secrets = [openaiKey, awsAccessKey, "hunter2", keyText];
const secretPrompt = `deploy with ${openaiKey}, ${awsAccessKey}, password=hunter2 and ${keyText}`;

beforeAll(async () => {
  [oai, ant] = await Promise.all([startOpenAiSimulator({ apiKey: "sk-sim" }), startAnthropicSimulator({ apiKey: "sk-ant-sim" })]);
});
afterEach(async () => {
  while (gateways.length) await gateways.pop()!.close();
});
afterAll(async () => {
  await Promise.all([oai.close(), ant.close()]);
});

async function gateway(bodyLogging?: BodyLoggingOptions): Promise<TestGateway> {
  const s = buildSnapshot(
    [
      { name: "oai", type: "openai", baseUrl: `${oai.url}/v1`, credential: "env://OAI_KEY", models: ["gpt-4o-mini"] },
      { name: "ant", type: "anthropic", baseUrl: ant.url, credential: "env://ANT_KEY", models: ["claude-sonnet-4-5"] },
    ],
    [{ plaintext: keyText }, { plaintext: optedInKey, metadata: { log_bodies: true } }],
  );
  const gw = await startTestGateway(s, { secretEnv: { OAI_KEY: "sk-sim", ANT_KEY: "sk-ant-sim" }, ...(bodyLogging ? { bodyLogging } : {}) });
  gateways.push(gw);
  return gw;
}

async function chat(gw: TestGateway, body: Record<string, unknown>, key = keyText) {
  const res = await fetch(`${gw.url}/v1/chat/completions`, {
    method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  await res.text();
  const id = res.headers.get("x-request-id")!;
  await expect.poll(() => gw.sink.requests.some((r) => r.id === id)).toBe(true);
  return gw.sink.requests.find((r) => r.id === id)!;
}

const expectNoSecrets = (v: unknown) => {
  const text = JSON.stringify(v);
  for (const s of secrets) expect(text).not.toContain(s);
};

describe("request bodies in the request log", () => {
  it("are off by default, streamed or not", async () => {
    const gw = await gateway();
    for (const stream of [false, true]) {
      const r = await chat(gw, { model: "oai/gpt-4o-mini", stream, messages: [{ role: "user", content: secretPrompt }] });
      expect(r.requestBody).toBeUndefined();
      expect(r.responseBody).toBeUndefined();
    }
  });

  it("when on, are stored redacted, request and response", async () => {
    const gw = await gateway({ mode: "on", maxBytes: 32 * 1024 });
    const r = await chat(gw, { model: "oai/gpt-4o-mini", messages: [{ role: "user", content: secretPrompt }] });
    expect(r.requestBody).toMatchObject({ model: "oai/gpt-4o-mini", messages: [{ role: "user", content: expect.stringContaining("[REDACTED:openai_key]") }] });
    const reply = (r.responseBody as { choices: Array<{ message: { content: string } }> }).choices[0]!.message.content;
    expect(reply).toMatch(/^Echo: deploy with \[REDACTED:openai_key\], \[REDACTED:aws_access_key\], password=\[REDACTED\] and \[REDACTED:portcullis_key\]/);
    expectNoSecrets(r.requestBody);
    expectNoSecrets(r.responseBody);
  });

  it("keep a stream's assembled message, not its SSE framing", async () => {
    const gw = await gateway({ mode: "on", maxBytes: 32 * 1024 });
    const r = await chat(gw, { model: "oai/gpt-4o-mini", stream: true, messages: [{ role: "user", content: `one two three ${openaiKey}` }] });
    expect(r.responseBody).toMatchObject({
      object: "chat.completion.stream",
      choices: [{ index: 0, message: { role: "assistant", content: "Echo: one two three [REDACTED:openai_key]" }, finish_reason: "stop" }],
    });
    expect(JSON.stringify(r.responseBody)).not.toContain("data:");
  });

  it("assemble streamed tool calls", async () => {
    const gw = await gateway({ mode: "on", maxBytes: 32 * 1024 });
    const tools = [{ type: "function", function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } } }];
    const r = await chat(gw, { model: "oai/gpt-4o-mini", stream: true, tools, messages: [{ role: "user", content: "Paris" }] });
    const msg = (r.responseBody as { choices: Array<{ message: { tool_calls?: Array<{ function: { name: string; arguments: string } }> } }> }).choices[0]!.message;
    expect(msg.tool_calls?.[0]?.function.name).toBe("get_weather");
    expect(() => JSON.parse(msg.tool_calls![0]!.function.arguments)).not.toThrow();
  });

  it("are capped with a truncation marker", async () => {
    const gw = await gateway({ mode: "on", maxBytes: 1024 });
    const r = await chat(gw, { model: "oai/gpt-4o-mini", messages: [{ role: "user", content: `${"lorem ipsum ".repeat(500)} ${openaiKey}` }] });
    for (const body of [r.requestBody, r.responseBody]) {
      expect(body).toMatchObject({ truncated: true, text: expect.stringMatching(/…\[TRUNCATED\]$/) });
      expect(new TextEncoder().encode(JSON.stringify(body)).length).toBeLessThanOrEqual(1024);
      expectNoSecrets(body);
    }
  });

  it("per_key: only keys whose metadata opts in", async () => {
    const gw = await gateway({ mode: "per_key", maxBytes: 32 * 1024 });
    const plain = await chat(gw, { model: "oai/gpt-4o-mini", messages: [{ role: "user", content: "hi" }] });
    const opted = await chat(gw, { model: "oai/gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }, optedInKey);
    expect(plain.requestBody).toBeUndefined();
    expect(opted.requestBody).toMatchObject({ messages: [{ content: "hi" }] });
    expect(opted.responseBody).toMatchObject({ choices: [{ message: { content: "Echo: hi" } }] });
  });

  it("off overrides a key's opt-in", async () => {
    const gw = await gateway({ mode: "off", maxBytes: 32 * 1024 });
    const r = await chat(gw, { model: "oai/gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }, optedInKey);
    expect(r.requestBody).toBeUndefined();
    expect(r.responseBody).toBeUndefined();
  });

  it("Anthropic passthrough: JSON as received, a stream assembled", async () => {
    const gw = await gateway({ mode: "on", maxBytes: 32 * 1024 });
    const call = async (stream: boolean) => {
      const res = await fetch(`${gw.url}/v1/messages`, {
        method: "POST", headers: { "x-api-key": keyText, "anthropic-version": "2023-06-01", "content-type": "application/json" },
        body: JSON.stringify({ model: "ant/claude-sonnet-4-5", max_tokens: 64, stream, messages: [{ role: "user", content: `hello ${openaiKey}` }] }),
      });
      expect(res.status).toBe(200);
      await res.text();
      const id = res.headers.get("x-request-id")!;
      await expect.poll(() => gw.sink.requests.some((r) => r.id === id)).toBe(true);
      return gw.sink.requests.find((r) => r.id === id)!;
    };
    const json = await call(false);
    expect(json.responseBody).toMatchObject({ type: "message", content: [{ type: "text", text: "Echo: hello [REDACTED:openai_key]" }] });
    const streamed = await call(true);
    expect(streamed.responseBody).toMatchObject({ choices: [{ message: { content: "Echo: hello [REDACTED:openai_key]" } }] });
    expectNoSecrets(json);
    expectNoSecrets(streamed);
  });
});

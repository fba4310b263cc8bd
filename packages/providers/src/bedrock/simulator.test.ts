// Round trips through the Bedrock simulator, which verifies SigV4 on its own.
import type { ChatChunk, ChatRequest } from "@portcullis/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBedrockSimulator, type SimulatorHandle } from "@portcullis/testkit";
import { signAwsRequest } from "../aws/sigv4";
import type { Target, UpstreamRequest } from "../types";
import { bedrockAdapter } from "./index";

let sim: SimulatorHandle;
let target: Target;
const key = { accessKeyId: "AKIDSIM", secretAccessKey: "simsecret/abc+def", sessionToken: "FwoGZXIvYXdzEXAMPLE" };

beforeAll(async () => {
  sim = await startBedrockSimulator({ credentials: [key] });
  target = { provider: "bedrock", baseUrl: sim.url, model: "us.anthropic.claude-3-7-sonnet-20250219-v1:0", region: "eu-central-1", credentials: { kind: "aws", ...key } };
});
afterAll(() => sim.close());

const ctx = () => ({ now: new Date(), requestId: "req_sim" });
const send = (up: UpstreamRequest, headers: Record<string, string> = {}) =>
  fetch(up.url, { method: up.method, headers: { ...up.headers, ...headers }, body: up.body });

async function chat(req: ChatRequest, headers: Record<string, string> = {}, t = target) {
  const c = ctx();
  const res = await send(bedrockAdapter.chat.buildChatRequest(req, t, c), headers);
  const body = new Uint8Array(await res.arrayBuffer());
  return res.ok ? { ok: true as const, value: bedrockAdapter.chat.parseChatResponse(body, t, c) } : { ok: false as const, error: bedrockAdapter.chat.parseError(res.status, res.headers, body) };
}

async function stream(req: ChatRequest, headers: Record<string, string> = {}) {
  const c = ctx();
  const res = await send(bedrockAdapter.chat.buildChatRequest({ ...req, stream: true, stream_options: { include_usage: true } }, target, c), headers);
  expect(res.headers.get("content-type")).toBe("application/vnd.amazon.eventstream");
  const decoder = bedrockAdapter.chat.createStreamDecoder(target, { ...req, stream_options: { include_usage: true } }, c);
  const chunks: ChatChunk[] = [];
  let transportError: unknown;
  try {
    for await (const part of res.body!) chunks.push(...decoder.push(part as Uint8Array));
  } catch (e) {
    transportError = e;
  }
  const end = decoder.end();
  return { chunks: [...chunks, ...end.chunks], end, usage: decoder.usage(), transportError };
}

const hello: ChatRequest = { model: "x", messages: [{ role: "system", content: "Be nice." }, { role: "user", content: "hello there friend" }] };
const weather: ChatRequest = {
  model: "x",
  messages: [{ role: "user", content: "what is the weather in Oslo" }],
  tools: [{ type: "function", function: { name: "weather", parameters: { type: "object", properties: { query: { type: "string" } } } } }],
};

describe("bedrock adapter against the simulator", () => {
  it("gets a signed converse answer, with the model id's colon surviving the signature", async () => {
    const r = await chat(hello);
    expect(r).toEqual({ ok: true, value: expect.objectContaining({
      choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content: "Echo: hello there friend" } }],
      usage: { prompt_tokens: 7, completion_tokens: 6, total_tokens: 13 },
    }) });
    expect(sim.requests.at(-1)!.path).toBe("/model/us.anthropic.claude-3-7-sonnet-20250219-v1%3A0/converse");
  });

  it("completes a tool round trip", async () => {
    const first = await chat(weather);
    if (!first.ok) throw new Error(first.error.message);
    const call = first.value.choices[0]!.message.tool_calls![0]!;
    expect(first.value.choices[0]!.finish_reason).toBe("tool_calls");
    expect(call.function).toEqual({ name: "weather", arguments: '{"query":"what is the weather in Oslo"}' });
    const second = await chat({ ...weather, messages: [...weather.messages, first.value.choices[0]!.message, { role: "tool", tool_call_id: call.id, content: "12C and rain" }] });
    expect(second.ok && second.value.choices[0]!.message.content).toBe("Tool said: 12C and rain");
  });

  it("is refused with the documented 403 bodies for a wrong secret, a wrong key and a missing token", async () => {
    const wrongSecret = await chat(hello, {}, { ...target, credentials: { kind: "aws", ...key, secretAccessKey: "nope" } });
    expect(wrongSecret).toMatchObject({ ok: false, error: { status: 403, type: "InvalidSignatureException" } });
    expect(!wrongSecret.ok && wrongSecret.error.message).toMatch(/^The request signature we calculated does not match the signature you provided/);
    expect(!wrongSecret.ok && wrongSecret.error.message).toContain("/model/us.anthropic.claude-3-7-sonnet-20250219-v1%253A0/converse");
    const wrongKey = await chat(hello, {}, { ...target, credentials: { kind: "aws", ...key, accessKeyId: "AKIDOTHER" } });
    expect(wrongKey).toEqual({ ok: false, error: { status: 403, type: "UnrecognizedClientException", message: "The security token included in the request is invalid." } });
    const noToken = await chat(hello, {}, { ...target, credentials: { kind: "aws", accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey } });
    expect(noToken).toMatchObject({ ok: false, error: { type: "UnrecognizedClientException" } });
  });

  it("rejects a body changed after signing", async () => {
    const up = bedrockAdapter.chat.buildChatRequest(hello, target, ctx());
    const tampered = (up.body as string).replace("friend", "enemy");
    const withHash = await fetch(up.url, { method: "POST", headers: up.headers, body: tampered });
    expect(bedrockAdapter.chat.parseError(withHash.status, withHash.headers, new Uint8Array(await withHash.arrayBuffer())))
      .toMatchObject({ status: 403, type: "InvalidSignatureException", message: expect.stringMatching(/x-amz-content-sha256/) });
    // Signed without the hash header, the payload hash still enters the canonical request.
    const signed = signAwsRequest({
      method: "POST", url: up.url, headers: { "content-type": "application/json" }, body: up.body, region: "eu-central-1", service: "bedrock",
      credentials: key, now: new Date(), contentSha256Header: false,
    });
    expect((await fetch(up.url, { method: "POST", headers: signed.headers, body: up.body })).status).toBe(200);
    const noHash = await fetch(up.url, { method: "POST", headers: signed.headers, body: tampered });
    expect(bedrockAdapter.chat.parseError(noHash.status, noHash.headers, new Uint8Array(await noHash.arrayBuffer())))
      .toMatchObject({ status: 403, type: "InvalidSignatureException", message: expect.stringMatching(/^The request signature we calculated does not match/) });
  });

  it("maps injected 429, 503 and validation errors", async () => {
    expect(await chat(hello, { "x-sim-fault": "status=429,retry-after=4" })).toEqual({ ok: false, error: { status: 429, type: "ThrottlingException", message: "Too many requests, please wait before trying again.", retryAfterSeconds: 4 } });
    expect(await chat(hello, { "x-sim-fault": "503" })).toMatchObject({ ok: false, error: { status: 503, type: "ServiceUnavailableException" } });
    expect(await chat({ model: "x", messages: [{ role: "assistant", content: "hi" }] })).toMatchObject({ ok: false, error: { status: 400, type: "ValidationException" } });
  });

  it("streams text with real event-stream framing", async () => {
    const r = await stream(hello);
    expect(r.chunks.map((c) => c.choices[0]?.delta.content ?? "").join("")).toBe("Echo: hello there friend");
    expect(r.chunks.at(-2)!.choices[0]!.finish_reason).toBe("stop");
    expect(r.chunks.at(-1)!.usage).toEqual({ prompt_tokens: 7, completion_tokens: 6, total_tokens: 13 });
    expect(r.end).toEqual({ chunks: [], complete: true });
  });

  it("streams a tool call whose argument pieces join into JSON", async () => {
    const r = await stream(weather);
    const args = r.chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []).map((t) => t.function?.arguments ?? "").join("");
    expect(JSON.parse(args)).toEqual({ query: "what is the weather in Oslo" });
    expect(r.end.complete).toBe(true);
  });

  it("reports stream faults: missing terminal, bad CRC, in-band exception, disconnect", async () => {
    expect((await stream(hello, { "x-sim-fault": "no-terminal" })).end).toEqual({ chunks: [], complete: false });
    const badCrc = await stream(hello, { "x-sim-fault": "malformed=2" });
    expect(badCrc.end).toMatchObject({ complete: false, error: { type: "event_stream_message_crc" } });
    const exception = await stream(hello, { "x-sim-fault": "stream-error=2" });
    expect(exception.end).toMatchObject({ complete: false, error: { status: 424, type: "ModelStreamErrorException" } });
    const cut = await stream(hello, { "x-sim-fault": "disconnect=2" });
    expect(cut.end.complete).toBe(false);
    expect(cut.chunks.map((c) => c.choices[0]?.delta.content ?? "").join("")).toBe("Echo: ");
  });

  it("embeds with Titan and Cohere through invoke", async () => {
    for (const model of ["amazon.titan-embed-text-v2:0", "cohere.embed-english-v3"]) {
      const t = { ...target, model };
      const req = { model: "e", input: model.startsWith("cohere") ? ["a b", "c"] : "a b" };
      const up = bedrockAdapter.embeddings!.buildEmbeddingRequest(req, t, ctx());
      const res = await send(up);
      expect(res.status).toBe(200);
      const out = bedrockAdapter.embeddings!.parseEmbeddingResponse(new Uint8Array(await res.arrayBuffer()), t, req);
      expect(out.data).toHaveLength(Array.isArray(req.input) ? 2 : 1);
      expect(out.data[0]!.embedding).toHaveLength(8);
    }
  });
});

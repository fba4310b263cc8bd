// Round trips through the Gemini simulator (API key, strict proto-JSON validation, SSE).
import type { ChatChunk, ChatRequest } from "@portcullis/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGeminiSimulator, type SimulatorHandle } from "@portcullis/testkit";
import type { Target, UpstreamRequest } from "../types";
import { geminiAdapter } from "./index";

let sim: SimulatorHandle;
let target: Target;
beforeAll(async () => {
  sim = await startGeminiSimulator({ apiKey: "good-key" });
  target = { provider: "gemini", baseUrl: sim.url, model: "gemini-2.5-flash", credentials: { kind: "api-key", apiKey: "good-key" } };
});
afterAll(() => sim.close());

const ctx = { now: new Date("2025-05-05T00:00:00Z"), requestId: "req_gsim" };
const send = (up: UpstreamRequest, headers: Record<string, string> = {}) => fetch(up.url, { method: up.method, headers: { ...up.headers, ...headers }, body: up.body });

async function chat(req: ChatRequest, t: Target = target, headers: Record<string, string> = {}) {
  const res = await send(geminiAdapter.chat.buildChatRequest(req, t, ctx), headers);
  const body = new Uint8Array(await res.arrayBuffer());
  return res.ok ? { ok: true as const, value: geminiAdapter.chat.parseChatResponse(body, t, ctx) } : { ok: false as const, error: geminiAdapter.chat.parseError(res.status, res.headers, body) };
}

async function stream(req: ChatRequest, headers: Record<string, string> = {}, t: Target = target) {
  const r = { ...req, stream: true, stream_options: { include_usage: true } };
  const res = await send(geminiAdapter.chat.buildChatRequest(r, t, ctx), headers);
  const d = geminiAdapter.chat.createStreamDecoder(t, r, ctx);
  const chunks: ChatChunk[] = [];
  try {
    for await (const part of res.body!) chunks.push(...d.push(part as Uint8Array));
  } catch {
    // a destroyed connection surfaces here; the decoder decides completeness
  }
  const end = d.end();
  return { chunks: [...chunks, ...end.chunks], end };
}

const tools: ChatRequest["tools"] = [{ type: "function", function: { name: "weather", parameters: {
  type: "object", additionalProperties: false, properties: { query: { type: "string" } }, required: ["query"],
} } }];
const text = (chunks: ChatChunk[]) => chunks.map((c) => c.choices[0]?.delta.content ?? "").join("");

describe("gemini adapter against the simulator", () => {
  it("answers, and the strict simulator accepts the sanitized tool schema", async () => {
    const r = await chat({ model: "g", messages: [{ role: "system", content: "Short." }, { role: "user", content: "ping pong" }], tools, max_tokens: 50 });
    expect(r).toMatchObject({ ok: true, value: { choices: [{ message: { content: "Echo: ping pong" }, finish_reason: "stop" }], usage: { prompt_tokens: 4, completion_tokens: 4, total_tokens: 8 } } });
    expect(sim.requests.at(-1)!.headers["x-goog-api-key"]).toBe("good-key");
  });

  it("runs a tool round trip, including Gemini 3's signed calls", async () => {
    for (const model of ["gemini-2.5-flash", "gemini-3-pro-preview"]) {
      const t = { ...target, model };
      const ask: ChatRequest = { model: "g", messages: [{ role: "user", content: "weather in Rome?" }], tools, tool_choice: "required" };
      const first = await chat(ask, t);
      if (!first.ok) throw new Error(first.error.message);
      const msg = first.value.choices[0]!.message;
      expect(first.value.choices[0]!.finish_reason).toBe("tool_calls");
      expect(msg.tool_calls![0]!.id.includes("__sig__")).toBe(model.startsWith("gemini-3"));
      const second = await chat({ ...ask, messages: [...ask.messages, msg, { role: "tool", tool_call_id: msg.tool_calls![0]!.id, content: "sunny" }] }, t);
      expect(second).toMatchObject({ ok: true, value: { choices: [{ message: { content: "Tool said: sunny" } }] } });
    }
  });

  it("maps bad keys, quota exhaustion with RetryInfo and overload", async () => {
    const hi: ChatRequest = { model: "g", messages: [{ role: "user", content: "hi" }] };
    expect(await chat(hi, { ...target, credentials: { kind: "api-key", apiKey: "bad" } }))
      .toEqual({ ok: false, error: { status: 400, type: "INVALID_ARGUMENT", message: "API key not valid. Please pass a valid API key." } });
    expect(await chat(hi, target, { "x-sim-fault": "status=429,retry-after=20" }))
      .toEqual({ ok: false, error: { status: 429, type: "RESOURCE_EXHAUSTED", message: "Resource has been exhausted (e.g. check quota).", retryAfterSeconds: 20 } });
    expect(await chat(hi, target, { "x-sim-fault": "503" })).toMatchObject({ ok: false, error: { status: 503, type: "UNAVAILABLE" } });
  });

  it("streams over SSE to a complete, usage-bearing end", async () => {
    const r = await stream({ model: "g", messages: [{ role: "user", content: "one two three" }] });
    expect(text(r.chunks)).toBe("Echo: one two three");
    expect(r.chunks.at(-2)!.choices[0]!.finish_reason).toBe("stop");
    expect(r.chunks.at(-1)!.usage).toEqual({ prompt_tokens: 4, completion_tokens: 5, total_tokens: 9 });
    expect(r.end).toEqual({ chunks: [], complete: true });
  });

  it("flags stream faults as incomplete", async () => {
    const hi: ChatRequest = { model: "g", messages: [{ role: "user", content: "a b c d" }] };
    expect((await stream(hi, { "x-sim-fault": "no-terminal" })).end).toEqual({ chunks: [], complete: false });
    expect((await stream(hi, { "x-sim-fault": "disconnect=2" })).end.complete).toBe(false);
    expect((await stream(hi, { "x-sim-fault": "malformed=1" })).end.error?.type).toBe("invalid_stream_payload");
    expect((await stream(hi, { "x-sim-fault": "stream-error=1" })).end.error).toMatchObject({ status: 503, type: "UNAVAILABLE" });
  });

  it("delays with latency and never answers under timeout", async () => {
    const up = geminiAdapter.chat.buildChatRequest({ model: "g", messages: [{ role: "user", content: "hi" }] }, target, ctx);
    const started = Date.now();
    expect((await send(up, { "x-sim-fault": "latency=150" })).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    await expect(fetch(up.url, { method: "POST", headers: { ...up.headers, "x-sim-fault": "timeout" }, body: up.body, signal: AbortSignal.timeout(200) }))
      .rejects.toThrow(/abort|timeout/i);
  });

  it("embeds one text and a batch", async () => {
    for (const input of ["hello", ["hello", "world wide"]]) {
      const req = { model: "e", input, dimensions: 4 };
      const t = { ...target, model: "text-embedding-004" };
      const res = await send(geminiAdapter.embeddings!.buildEmbeddingRequest(req, t, ctx));
      expect(res.status).toBe(200);
      const out = geminiAdapter.embeddings!.parseEmbeddingResponse(new Uint8Array(await res.arrayBuffer()), t, req);
      expect(out.data.map((d) => (d.embedding as number[]).length)).toEqual(Array.isArray(input) ? [4, 4] : [4]);
    }
  });
});

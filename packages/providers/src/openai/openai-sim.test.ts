import type { PortcullisError } from "@portcullis/core";
import { startOpenAiSimulator } from "@portcullis/testkit/openai";
import type { SimulatorHandle } from "@portcullis/testkit/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOpenAiCompatibleAdapter } from "../openai-compatible";
import { chatOnce, chatStream, ctx, textOf, transport } from "../transport/test-exchange";
import { readBody } from "../transport/transport";
import type { Target } from "../types";
import { openAiAdapter } from "./index";

let sim: SimulatorHandle;
let target: Target;
beforeAll(async () => {
  sim = await startOpenAiSimulator({ apiKey: "sk-sim" });
  target = { provider: "openai", baseUrl: `${sim.url}/v1`, model: "gpt-4o-mini", credentials: { kind: "api-key", apiKey: "sk-sim" } };
});
afterAll(() => sim.close());

const ask = { model: "alias", messages: [{ role: "user" as const, content: "hello there" }] };

describe("OpenAI adapter against the simulator", () => {
  it("completes a chat and reports usage", async () => {
    const r = await chatOnce(openAiAdapter, ask, target);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.response.model).toBe("gpt-4o-mini");
    expect(r.response.choices[0]?.message.content).toBe("Echo: hello there");
    expect(r.response.usage).toMatchObject({ prompt_tokens: 3, completion_tokens: 5, total_tokens: 8 });
  });

  it("asks upstream for stream usage but keeps the usage chunk from a client that did not", async () => {
    const r = await chatStream(openAiAdapter, ask, target);
    expect(sim.requests.at(-1)?.body).toMatchObject({ model: "gpt-4o-mini", stream: true, stream_options: { include_usage: true } });
    expect(r.complete).toBe(true);
    expect(textOf(r.chunks)).toBe("Echo: hello there");
    expect(r.chunks.some((c) => c.choices.length === 0)).toBe(false);
    expect(r.usage).toMatchObject({ prompt_tokens: 3, completion_tokens: 5, total_tokens: 8 });
    const asked = await chatStream(openAiAdapter, { ...ask, stream_options: { include_usage: true } }, target);
    expect(asked.chunks.at(-1)).toMatchObject({ choices: [], usage: { total_tokens: 8 } });
  });

  it("streams a tool call", async () => {
    const r = await chatStream(openAiAdapter, { ...ask, tools: [{ type: "function", function: { name: "lookup" } }] }, target);
    const calls = r.chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    expect(calls[0]).toMatchObject({ index: 0, id: expect.stringMatching(/^call_sim_/), function: { name: "lookup" } });
    expect(calls.map((c) => c.function?.arguments ?? "").join("")).toBe('{"input":"hello there"}');
    expect(r.chunks.find((c) => c.choices[0]?.finish_reason)?.choices[0]?.finish_reason).toBe("tool_calls");
  });

  it("maps a 429 with retry-after and an auth failure", async () => {
    sim.setFaults({ status: 429, retryAfter: 4, times: 1 });
    const limited = await chatOnce(openAiAdapter, ask, target);
    expect(limited).toEqual({ ok: false, error: expect.objectContaining({ status: 429, code: "rate_limit_exceeded", retryAfterSeconds: 4 }) });
    const denied = await chatOnce(openAiAdapter, ask, { ...target, credentials: { kind: "api-key", apiKey: "wrong" } });
    expect(denied).toEqual({ ok: false, error: expect.objectContaining({ status: 401, code: "invalid_api_key" }) });
  });

  it("reports a stream cut short and a malformed chunk", async () => {
    sim.setFaults({ noTerminal: true, times: 1 });
    const cut = await chatStream(openAiAdapter, ask, target);
    expect([cut.complete, cut.error, textOf(cut.chunks)]).toEqual([false, undefined, "Echo: hello there"]);
    sim.setFaults({ malformedChunkAt: 2, times: 1 });
    const bad = await chatStream(openAiAdapter, ask, target);
    expect(bad.error?.type).toBe("malformed_chunk");
    sim.setFaults({ disconnectAfterChunks: 2, times: 1 });
    const dropped = await chatStream(openAiAdapter, ask, target);
    expect(dropped.complete).toBe(false);
    expect((dropped.transportError as PortcullisError).code).toBe("stream_incomplete");
  });

  it("embeds with base64 and float encodings", async () => {
    const emb = openAiAdapter.embeddings!;
    const t = { ...target, model: "text-embedding-3-small" };
    const req = { model: "e", input: ["a", "b"], encoding_format: "base64" as const, dimensions: 4 };
    const res = await transport.sendUpstream(emb.buildEmbeddingRequest(req, t, ctx));
    const parsed = emb.parseEmbeddingResponse(await readBody(res.body), t, req);
    expect(parsed.data.map((d) => typeof d.embedding)).toEqual(["string", "string"]);
    const floats = { ...req, encoding_format: "float" as const };
    const res2 = await transport.sendUpstream(emb.buildEmbeddingRequest(floats, t, ctx));
    const parsed2 = emb.parseEmbeddingResponse(await readBody(res2.body), t, floats);
    expect((parsed2.data[0]?.embedding as number[]).length).toBe(4);
    expect(parsed2.usage).toEqual({ prompt_tokens: 2, total_tokens: 2 });
  });

  it("forwards a Responses API body natively", async () => {
    const up = openAiAdapter.responses!.buildResponsesRequest({ model: "alias", input: "hi", store: false }, target, ctx);
    const res = await transport.sendUpstream(up);
    const body = JSON.parse(new TextDecoder().decode(await readBody(res.body))) as Record<string, unknown>;
    expect(sim.requests.at(-1)?.body).toEqual({ model: "gpt-4o-mini", input: "hi", store: false });
    expect(body).toMatchObject({ object: "response", status: "completed", output: [{ content: [{ type: "output_text", text: "Echo: hi" }] }] });
  });

  it("serves an OpenAI-compatible profile (vLLM) through the same path", async () => {
    const vllm = createOpenAiCompatibleAdapter("vllm");
    const r = await chatOnce(vllm, ask, { ...target, provider: "vllm", model: "meta-llama/Llama-3.1-8B-Instruct" });
    expect(r.ok && r.response.choices[0]?.message.content).toBe("Echo: hello there");
    expect(sim.requests.at(-1)?.headers["authorization"]).toBe("Bearer sk-sim");
  });
});

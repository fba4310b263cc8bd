import { startAnthropicSimulator } from "@portcullis/testkit/anthropic";
import type { SimulatorHandle } from "@portcullis/testkit/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chatOnce, chatStream, ctx, textOf, transport } from "../transport/test-exchange";
import { readBody } from "../transport/transport";
import type { Target } from "../types";
import { anthropicAdapter } from "./index";
import { createAnthropicStreamDecoder } from "./stream";

let sim: SimulatorHandle;
let target: Target;
beforeAll(async () => {
  sim = await startAnthropicSimulator({ apiKey: "sk-ant-sim" });
  target = { provider: "anthropic", baseUrl: sim.url, model: "claude-sonnet-4-5", credentials: { kind: "api-key", apiKey: "sk-ant-sim" } };
});
afterAll(() => sim.close());

const ask = { model: "alias", messages: [{ role: "system" as const, content: "sys" }, { role: "user" as const, content: "hello claude" }] };

describe("Anthropic adapter against the simulator", () => {
  it("translates, sends with x-api-key and anthropic-version, and parses", async () => {
    const r = await chatOnce(anthropicAdapter, { ...ask, max_tokens: 50 }, target);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.response.choices[0]?.message.content).toBe("Echo: hello claude");
    expect(r.response.choices[0]?.finish_reason).toBe("stop");
    // "sys\nhello claude" is 16 characters -> 4 simulated tokens; "Echo: hello claude" -> 5.
    expect(r.response.usage).toEqual({ prompt_tokens: 4, completion_tokens: 5, total_tokens: 9, prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 } });
    const rec = sim.requests.at(-1)!;
    expect(rec.headers["x-api-key"]).toBe("sk-ant-sim");
    expect(rec.headers["anthropic-version"]).toBe("2023-06-01");
    expect(rec.body).toEqual({ model: "claude-sonnet-4-5", max_tokens: 50, system: "sys", messages: [{ role: "user", content: "hello claude" }] });
  });

  it("streams thinking, text and a tool call with usage", async () => {
    const r = await chatStream(
      anthropicAdapter,
      { ...ask, reasoning_effort: "low", tools: [{ type: "function", function: { name: "lookup", parameters: { type: "object" } } }], stream_options: { include_usage: true } },
      target,
    );
    expect(r.complete).toBe(true);
    expect(r.chunks.map((c) => c.choices[0]?.delta.reasoning_content ?? "").join("")).toBe("Considering: hello claude");
    expect(textOf(r.chunks)).toBe("Calling lookup.");
    const calls = r.chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    expect(calls[0]).toMatchObject({ index: 0, id: "toolu_sim_2", function: { name: "lookup" } });
    expect(calls.map((c) => c.function?.arguments ?? "").join("")).toBe('{"input":"hello claude"}');
    expect(r.chunks.at(-2)?.choices[0]?.finish_reason).toBe("tool_calls");
    expect(r.chunks.at(-1)?.usage).toEqual(r.usage);
    expect(sim.requests.at(-1)?.body).toMatchObject({ thinking: { type: "enabled", budget_tokens: 2048 }, stream: true });
  });

  it("reports length, stop sequences and an in-band overloaded error", async () => {
    const short = await chatOnce(anthropicAdapter, { ...ask, max_tokens: 1 }, target);
    expect(short.ok && [short.response.choices[0]?.message.content, short.response.choices[0]?.finish_reason]).toEqual(["Echo", "length"]);
    const stopped = await chatOnce(anthropicAdapter, { ...ask, stop: ["claude"] }, target);
    expect(stopped.ok && stopped.response.choices[0]?.message.content).toBe("Echo: hello ");
    sim.setFaults({ streamErrorAfter: 3, times: 1 });
    const broken = await chatStream(anthropicAdapter, ask, target);
    expect(broken.error).toEqual({ status: 529, type: "overloaded_error", message: "Overloaded" });
  });

  it("maps 529 and 429 responses", async () => {
    sim.setFaults({ status: 529, times: 1 });
    expect(await chatOnce(anthropicAdapter, ask, target)).toEqual({ ok: false, error: { status: 529, type: "overloaded_error", message: "Overloaded" } });
    sim.setFaults({ status: 429, retryAfter: 9, times: 1 });
    expect(await chatOnce(anthropicAdapter, ask, target)).toEqual({ ok: false, error: expect.objectContaining({ status: 429, type: "rate_limit_error", retryAfterSeconds: 9 }) });
  });

  it("passes native bodies through, with prompt-cache usage and count_tokens", async () => {
    const body = {
      model: "sonnet", max_tokens: 100, stream: true,
      system: [{ type: "text", text: "a long and stable system prompt", cache_control: { type: "ephemeral" } }],
      messages: [{ role: "user", content: "q" }],
    };
    const usages = [];
    for (let i = 0; i < 2; i++) {
      const up = anthropicAdapter.anthropicMessages!.buildMessagesRequest(body, target, ctx, { anthropicVersion: "2026-10-21" });
      const res = await transport.sendUpstream(up);
      const meter = createAnthropicStreamDecoder({ created: 0, includeUsage: false });
      for await (const bytes of res.body) meter.push(bytes);
      expect(meter.end().complete).toBe(true);
      usages.push(meter.usage());
    }
    // 31-character cached prefix -> 8 tokens written, then read; the whole prompt is 9 tokens.
    expect(usages.map((u) => u?.prompt_tokens_details)).toEqual([{ cached_tokens: 0, cache_write_tokens: 8 }, { cached_tokens: 8, cache_write_tokens: 0 }]);
    expect(usages.map((u) => u?.prompt_tokens)).toEqual([9, 9]);
    expect(sim.requests.at(-1)?.headers["anthropic-version"]).toBe("2026-10-21");
    const count = anthropicAdapter.anthropicMessages!.buildMessagesRequest(body, target, ctx, { countTokens: true });
    const res = await transport.sendUpstream(count);
    expect(JSON.parse(new TextDecoder().decode(await readBody(res.body)))).toEqual({ input_tokens: 9 });
  });
});

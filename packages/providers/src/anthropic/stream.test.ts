import type { ChatChunk } from "@portcullis/core";
import { chunkings } from "@portcullis/testkit/shared";
import { describe, expect, it } from "vitest";
import type { StreamDecoder } from "../types";
import { anthropicAdapter } from "./index";
import { createAnthropicStreamDecoder } from "./stream";

const enc = new TextEncoder();
const ev = (type: string, data: unknown) => `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;

/** The documented event sequence: thinking, text and a tool_use block, with cache usage. */
const STREAM =
  ev("message_start", { type: "message_start", message: { id: "msg_01A", type: "message", role: "assistant", model: "claude-sonnet-4-5-20250929", content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 25, cache_creation_input_tokens: 100, cache_read_input_tokens: 2000, output_tokens: 1 } } }) +
  ev("content_block_start", { type: "content_block_start", index: 0, content_block: { type: "thinking", thinking: "", signature: "" } }) +
  ev("ping", { type: "ping" }) +
  ev("content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "thinking_delta", thinking: "Need the weather… " } }) +
  ev("content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "signature_delta", signature: "EqQBCgIYAhIM" } }) +
  ev("content_block_stop", { type: "content_block_stop", index: 0 }) +
  ev("content_block_start", { type: "content_block_start", index: 1, content_block: { type: "text", text: "" } }) +
  ev("content_block_delta", { type: "content_block_delta", index: 1, delta: { type: "text_delta", text: "Checking Zürich ☀️" } }) +
  ev("content_block_stop", { type: "content_block_stop", index: 1 }) +
  ev("content_block_start", { type: "content_block_start", index: 2, content_block: { type: "tool_use", id: "toolu_01T", name: "get_weather", input: {} } }) +
  ev("content_block_delta", { type: "content_block_delta", index: 2, delta: { type: "input_json_delta", partial_json: "" } }) +
  ev("content_block_delta", { type: "content_block_delta", index: 2, delta: { type: "input_json_delta", partial_json: '{"location": "Zü' } }) +
  ev("content_block_delta", { type: "content_block_delta", index: 2, delta: { type: "input_json_delta", partial_json: 'rich"}' } }) +
  ev("content_block_stop", { type: "content_block_stop", index: 2 }) +
  ev("message_delta", { type: "message_delta", delta: { stop_reason: "tool_use", stop_sequence: null }, usage: { output_tokens: 89 } }) +
  ev("message_stop", { type: "message_stop" });

function run(dec: StreamDecoder, parts: Uint8Array[]) {
  const chunks: ChatChunk[] = [];
  for (const p of parts) chunks.push(...dec.push(p));
  const end = dec.end();
  return { chunks: [...chunks, ...end.chunks], complete: end.complete, error: end.error, usage: dec.usage() };
}

describe("Anthropic stream decoder", () => {
  it("decodes the recorded sequence identically at every chunk boundary", () => {
    const expected: ChatChunk[] = [
      { role: "assistant", content: "" },
      { reasoning_content: "Need the weather… " },
      { content: "Checking Zürich ☀️" },
      { tool_calls: [{ index: 0, id: "toolu_01T", type: "function", function: { name: "get_weather", arguments: "" } }] },
      { tool_calls: [{ index: 0, function: { arguments: '{"location": "Zü' } }] },
      { tool_calls: [{ index: 0, function: { arguments: 'rich"}' } }] },
    ].map((delta) => ({ id: "msg_01A", object: "chat.completion.chunk", created: 1700000000, model: "claude-sonnet-4-5-20250929", choices: [{ index: 0, delta, finish_reason: null }] }) as ChatChunk);
    const usage = { prompt_tokens: 2125, completion_tokens: 89, total_tokens: 2214, prompt_tokens_details: { cached_tokens: 2000, cache_write_tokens: 100 } };
    for (const parts of chunkings(enc.encode(STREAM), 20)) {
      const r = run(createAnthropicStreamDecoder({ created: 1700000000, includeUsage: true }), parts);
      expect(r.complete).toBe(true);
      expect(r.chunks.slice(0, 6)).toEqual(expected);
      expect(r.chunks[6]?.choices).toEqual([{ index: 0, delta: {}, finish_reason: "tool_calls" }]);
      expect(r.chunks[7]).toEqual({ id: "msg_01A", object: "chat.completion.chunk", created: 1700000000, model: "claude-sonnet-4-5-20250929", choices: [], usage });
      expect(r.chunks).toHaveLength(8);
      expect(r.usage).toEqual(usage);
    }
  });

  it("omits the usage chunk unless asked, and numbers tool calls per tool block", () => {
    const two =
      ev("message_start", { type: "message_start", message: { id: "m", model: "c", usage: { input_tokens: 5, output_tokens: 1 } } }) +
      ev("content_block_start", { type: "content_block_start", index: 0, content_block: { type: "tool_use", id: "a", name: "f", input: {} } }) +
      ev("content_block_start", { type: "content_block_start", index: 1, content_block: { type: "tool_use", id: "b", name: "g", input: {} } }) +
      ev("content_block_delta", { type: "content_block_delta", index: 1, delta: { type: "input_json_delta", partial_json: "{}" } }) +
      ev("message_delta", { type: "message_delta", delta: { stop_reason: "max_tokens", stop_sequence: null }, usage: { output_tokens: 3 } }) +
      ev("message_stop", { type: "message_stop" });
    const r = run(createAnthropicStreamDecoder({ created: 1, includeUsage: false }), [enc.encode(two)]);
    const calls = r.chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    expect(calls.map((c) => [c.index, c.id])).toEqual([[0, "a"], [1, "b"], [1, undefined]]);
    expect(r.chunks[r.chunks.length - 1]?.choices[0]?.finish_reason).toBe("length");
    expect(r.chunks.some((c) => c.choices.length === 0)).toBe(false);
    expect(r.usage).toEqual({ prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 });
  });

  it("reports an in-band error event with Anthropic's status for its type", () => {
    const wire = ev("message_start", { type: "message_start", message: { id: "m", model: "c", usage: { input_tokens: 5, output_tokens: 1 } } }) +
      ev("error", { type: "error", error: { type: "overloaded_error", message: "Overloaded" } });
    const r = run(createAnthropicStreamDecoder({ created: 1, includeUsage: false }), [enc.encode(wire)]);
    expect(r.complete).toBe(false);
    expect(r.error).toEqual({ status: 529, type: "overloaded_error", message: "Overloaded" });
  });

  it("reports complete:false without message_stop, and malformed events as errors", () => {
    const cut = STREAM.slice(0, STREAM.indexOf("event: message_stop"));
    const r = run(createAnthropicStreamDecoder({ created: 1, includeUsage: true }), [enc.encode(cut)]);
    expect([r.complete, r.error]).toEqual([false, undefined]);
    expect(r.usage?.completion_tokens).toBe(89);
    const bad = run(createAnthropicStreamDecoder({ created: 1, includeUsage: false }), [enc.encode("event: message_start\ndata: {\"type\":\n\n")]);
    expect(bad.error).toMatchObject({ status: 502, type: "malformed_chunk" });
  });

  it("is what the adapter creates, with the build context's clock", () => {
    const dec = anthropicAdapter.chat.createStreamDecoder(
      { provider: "anthropic", baseUrl: "", model: "c", credentials: { kind: "none" } },
      { model: "c", messages: [], stream: true, stream_options: { include_usage: true } },
      { now: new Date(1_700_000_000_000), requestId: "r" },
    );
    const r = run(dec, [enc.encode(STREAM)]);
    expect(r.chunks[0]?.created).toBe(1_700_000_000);
    expect(r.chunks.at(-1)?.usage?.total_tokens).toBe(2214);
  });
});

import type { ChatChunk } from "@portcullis/core";
import { describe, expect, it } from "vitest";
import { encodeEventStreamMessage, type EventStreamMessage } from "../aws/event-stream";
import type { Target } from "../types";
import { bedrockAdapter } from "./index";

const target: Target = {
  provider: "bedrock", baseUrl: "", model: "anthropic.claude-3-haiku-20240307-v1:0", region: "us-east-1",
  credentials: { kind: "aws", accessKeyId: "AKID", secretAccessKey: "secret" },
};
const ctx = { now: new Date("2024-06-01T00:00:00Z"), requestId: "req_s" };

const event = (type: string, payload: unknown): EventStreamMessage => ({
  headers: {
    ":event-type": { type: "string", value: type },
    ":content-type": { type: "string", value: "application/json" },
    ":message-type": { type: "string", value: "event" },
  },
  payload: new TextEncoder().encode(JSON.stringify(payload)),
});
const exception = (type: string, message: string): EventStreamMessage => ({
  headers: {
    ":exception-type": { type: "string", value: type },
    ":content-type": { type: "string", value: "application/json" },
    ":message-type": { type: "string", value: "exception" },
  },
  payload: new TextEncoder().encode(JSON.stringify({ message })),
});
const frames = (...ms: EventStreamMessage[]) => Uint8Array.from(ms.flatMap((m) => Array.from(encodeEventStreamMessage(m))));

// A text block followed by a tool call, as ConverseStream sends them (with its `p` padding field).
const conversation = [
  event("messageStart", { p: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0", role: "assistant" }),
  event("contentBlockDelta", { contentBlockIndex: 0, delta: { text: "Checking" }, p: "abcdef" }),
  event("contentBlockDelta", { contentBlockIndex: 0, delta: { text: " now." }, p: "abcdefghij" }),
  event("contentBlockStop", { contentBlockIndex: 0, p: "abcd" }),
  event("contentBlockStart", { contentBlockIndex: 1, start: { toolUse: { toolUseId: "tooluse_A", name: "weather" } }, p: "ab" }),
  event("contentBlockDelta", { contentBlockIndex: 1, delta: { toolUse: { input: '{"city":' } }, p: "abc" }),
  event("contentBlockDelta", { contentBlockIndex: 1, delta: { toolUse: { input: '"Oslo"}' } }, p: "abc" }),
  event("contentBlockStop", { contentBlockIndex: 1, p: "abcdefg" }),
  event("messageStop", { p: "abcdefghijklm", stopReason: "tool_use" }),
  event("metadata", { metrics: { latencyMs: 420 }, p: "abcdefghi", usage: { inputTokens: 30, outputTokens: 12, totalTokens: 42 } }),
];

function decodeAll(bytes: Uint8Array, cut: number, includeUsage = true) {
  const d = bedrockAdapter.chat.createStreamDecoder(target, { model: "m", messages: [], stream: true, stream_options: { include_usage: includeUsage } }, ctx);
  const chunks: ChatChunk[] = [...d.push(bytes.subarray(0, cut)), ...d.push(bytes.subarray(cut))];
  const end = d.end();
  return { chunks: [...chunks, ...end.chunks], end, usage: d.usage() };
}

describe("bedrock ConverseStream decoding", () => {
  const bytes = frames(...conversation);

  it("produces the same canonical chunks for a split at every byte boundary", () => {
    const reference = decodeAll(bytes, 0);
    expect(reference.chunks.map((c) => ({ delta: c.choices[0]?.delta, finish: c.choices[0]?.finish_reason, usage: c.usage }))).toEqual([
      { delta: { role: "assistant", content: "" }, finish: null, usage: undefined },
      { delta: { content: "Checking" }, finish: null, usage: undefined },
      { delta: { content: " now." }, finish: null, usage: undefined },
      { delta: { tool_calls: [{ index: 0, id: "tooluse_A", type: "function", function: { name: "weather", arguments: "" } }] }, finish: null, usage: undefined },
      { delta: { tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }, finish: null, usage: undefined },
      { delta: { tool_calls: [{ index: 0, function: { arguments: '"Oslo"}' } }] }, finish: null, usage: undefined },
      { delta: {}, finish: "tool_calls", usage: undefined },
      { delta: undefined, finish: undefined, usage: { prompt_tokens: 30, completion_tokens: 12, total_tokens: 42 } },
    ]);
    expect(reference.chunks[0]).toMatchObject({ id: "chatcmpl-req_s", object: "chat.completion.chunk", created: 1717200000, model: target.model });
    expect(reference.end).toEqual({ chunks: [], complete: true });
    for (let cut = 1; cut <= bytes.length; cut++) {
      expect(decodeAll(bytes, cut).chunks).toEqual(reference.chunks);
    }
  });

  it("keeps usage available without emitting a usage chunk when not asked", () => {
    const r = decodeAll(bytes, 10, false);
    expect(r.chunks.some((c) => c.usage)).toBe(false);
    expect(r.usage).toEqual({ prompt_tokens: 30, completion_tokens: 12, total_tokens: 42 });
  });

  it("is incomplete when the stream ends before messageStop and metadata", () => {
    const r = decodeAll(frames(...conversation.slice(0, 8)), 5);
    expect(r.end).toEqual({ chunks: [], complete: false });
    const noMetadata = decodeAll(frames(...conversation.slice(0, 9)), 5);
    expect(noMetadata.end.complete).toBe(false);
    expect(noMetadata.usage).toBeUndefined();
  });

  it("is incomplete with an error when the body stops inside a frame", () => {
    const r = decodeAll(bytes.subarray(0, bytes.length - 5), 3);
    expect(r.end.complete).toBe(false);
    expect(r.end.error).toMatchObject({ status: 502, type: "event_stream_truncated" });
  });

  it("maps exception frames to an upstream error", () => {
    const r = decodeAll(frames(conversation[0]!, conversation[1]!, exception("throttlingException", "Too many tokens, please wait before trying again.")), 7);
    expect(r.chunks).toHaveLength(2);
    expect(r.end).toEqual({ chunks: [], complete: false, error: { status: 429, type: "ThrottlingException", message: "Too many tokens, please wait before trying again." } });
    const modelError = decodeAll(frames(exception("modelStreamErrorException", "boom")), 0);
    expect(modelError.end.error).toEqual({ status: 424, type: "ModelStreamErrorException", message: "boom" });
  });

  it("reports a CRC mismatch loudly instead of decoding a corrupt frame", () => {
    const corrupt = bytes.slice();
    const at = encodeEventStreamMessage(conversation[0]!).length + 40; // inside the second frame's payload
    corrupt[at] = corrupt[at]! ^ 0x20;
    const r = decodeAll(corrupt, 0);
    expect(r.chunks).toHaveLength(1);
    expect(r.end.complete).toBe(false);
    expect(r.end.error).toMatchObject({ status: 502, type: "event_stream_message_crc" });
  });
});

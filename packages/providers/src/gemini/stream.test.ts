import type { ChatChunk } from "@portcullis/core";
import { describe, expect, it } from "vitest";
import type { Target } from "../types";
import { geminiAdapter } from "./index";

const target: Target = { provider: "gemini", baseUrl: "", model: "gemini-2.0-flash", credentials: { kind: "api-key", apiKey: "k" } };
const ctx = { now: new Date("2025-01-01T00:00:00Z"), requestId: "req_st" };

// Shaped like a recorded streamGenerateContent?alt=sse body: CRLF-separated events,
// usage in every event, finishReason and final counts on the last one.
const sse = (...events: unknown[]) => events.map((e) => `data: ${JSON.stringify(e)}\r\n\r\n`).join("");
const recorded = sse(
  { candidates: [{ content: { role: "model", parts: [{ text: "Hello" }] } }], usageMetadata: { promptTokenCount: 4, totalTokenCount: 4 }, modelVersion: "gemini-2.0-flash", responseId: "abc" },
  { candidates: [{ content: { role: "model", parts: [{ text: " wörld 🌍" }] } }], usageMetadata: { promptTokenCount: 4, totalTokenCount: 4 }, modelVersion: "gemini-2.0-flash", responseId: "abc" },
  { candidates: [{ content: { role: "model", parts: [{ functionCall: { name: "lookup", args: { q: "x" } } }] } }], modelVersion: "gemini-2.0-flash", responseId: "abc" },
  { candidates: [{ content: { role: "model", parts: [{ text: "" }] }, finishReason: "STOP" }], usageMetadata: { promptTokenCount: 4, candidatesTokenCount: 9, totalTokenCount: 13 }, modelVersion: "gemini-2.0-flash", responseId: "abc" },
);
const recordedBytes = new TextEncoder().encode(recorded);

function run(body: Uint8Array, cut: number, includeUsage = true) {
  const d = geminiAdapter.chat.createStreamDecoder(target, { model: "m", messages: [], stream: true, stream_options: { include_usage: includeUsage } }, ctx);
  const chunks: ChatChunk[] = [...d.push(body.subarray(0, cut)), ...d.push(body.subarray(cut))];
  const end = d.end();
  return { chunks: [...chunks, ...end.chunks], end, usage: d.usage() };
}

describe("gemini stream decoding", () => {
  it("maps events to canonical chunks identically for every split point", () => {
    const ref = run(recordedBytes, 0);
    expect(ref.chunks.map((c) => [c.choices[0]?.delta, c.choices[0]?.finish_reason ?? null, c.usage ?? null])).toEqual([
      [{ role: "assistant", content: "Hello" }, null, null],
      [{ content: " wörld 🌍" }, null, null],
      [{ tool_calls: [{ index: 0, id: "call_req_st_0_0", type: "function", function: { name: "lookup", arguments: '{"q":"x"}' } }] }, null, null],
      [{}, "tool_calls", null],
      [undefined, null, { prompt_tokens: 4, completion_tokens: 9, total_tokens: 13 }],
    ]);
    expect(ref.chunks[0]).toMatchObject({ id: "chatcmpl-req_st", created: 1735689600, model: "gemini-2.0-flash", object: "chat.completion.chunk" });
    expect(ref.end).toEqual({ chunks: [], complete: true });
    for (let cut = 1; cut <= recordedBytes.length; cut++) expect(run(recordedBytes, cut).chunks).toEqual(ref.chunks);
  });

  it("is incomplete when the stream ends without a finishReason", () => {
    const partial = new TextEncoder().encode(recorded.slice(0, recorded.lastIndexOf("data:")));
    const r = run(partial, 10);
    expect(r.end).toEqual({ chunks: [], complete: false });
    expect(r.chunks.some((c) => c.choices[0]?.finish_reason)).toBe(false);
    expect(r.usage).toEqual({ prompt_tokens: 4, completion_tokens: 0, total_tokens: 4 });
  });

  it("ends with an upstream error on an error event", () => {
    const body = new TextEncoder().encode(sse(
      { candidates: [{ content: { parts: [{ text: "a" }] } }] },
      { error: { code: 503, message: "The model is overloaded. Please try again later.", status: "UNAVAILABLE" } },
    ));
    const r = run(body, 3);
    expect(r.chunks).toHaveLength(1);
    expect(r.end).toEqual({ chunks: [], complete: false, error: { status: 503, type: "UNAVAILABLE", message: "The model is overloaded. Please try again later." } });
  });

  it("reports a non-JSON event as a broken stream", () => {
    const r = run(new TextEncoder().encode("data: {not json\n\n"), 0);
    expect(r.end.complete).toBe(false);
    expect(r.end.error?.type).toBe("invalid_stream_payload");
  });

  it("treats a final event cut before its blank line as missing", () => {
    const unterminated = new TextEncoder().encode(recorded.replace(/\r\n\r\n$/, ""));
    expect(run(unterminated, 0).end.complete).toBe(false);
  });
});

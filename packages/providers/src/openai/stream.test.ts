import type { ChatChunk } from "@portcullis/core";
import { chunkings } from "@portcullis/testkit/shared";
import { describe, expect, it } from "vitest";
import type { StreamDecoder } from "../types";
import { createOpenAiStreamDecoder } from "./stream";

const enc = new TextEncoder();

/** Recorded from Chat Completions with stream_options.include_usage=true (ids shortened). */
const TEXT_STREAM = [
  `data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1741569952,"model":"gpt-4o-2024-08-06","service_tier":"default","system_fingerprint":"fp_f9f4fb6dbf","choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}],"usage":null}`,
  `data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1741569952,"model":"gpt-4o-2024-08-06","service_tier":"default","system_fingerprint":"fp_f9f4fb6dbf","choices":[{"index":0,"delta":{"content":"Grüße, "},"logprobs":null,"finish_reason":null}],"usage":null}`,
  `data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1741569952,"model":"gpt-4o-2024-08-06","service_tier":"default","system_fingerprint":"fp_f9f4fb6dbf","choices":[{"index":0,"delta":{"content":"世界 🚀"},"logprobs":null,"finish_reason":null}],"usage":null}`,
  `data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1741569952,"model":"gpt-4o-2024-08-06","service_tier":"default","system_fingerprint":"fp_f9f4fb6dbf","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"usage":null}`,
  `data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1741569952,"model":"gpt-4o-2024-08-06","service_tier":"default","system_fingerprint":"fp_f9f4fb6dbf","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":6,"total_tokens":18,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}}`,
  `data: [DONE]`,
].map((l) => `${l}\n\n`).join("");

const TOOL_STREAM = [
  `data: {"id":"chatcmpl-2","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"call_abc","type":"function","function":{"name":"get_weather","arguments":""}}],"refusal":null},"finish_reason":null}],"usage":null}`,
  `data: {"id":"chatcmpl-2","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\\"loc"}}]},"finish_reason":null}],"usage":null}`,
  `data: {"id":"chatcmpl-2","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"ation\\":\\"Paris\\"}"}}]},"finish_reason":null}],"usage":null}`,
  `data: {"id":"chatcmpl-2","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}],"usage":null}`,
  `data: {"id":"chatcmpl-2","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[],"usage":{"prompt_tokens":80,"completion_tokens":17,"total_tokens":97,"prompt_tokens_details":{"cached_tokens":64}}}`,
  `data: [DONE]`,
].map((l) => `${l}\r\n\r\n`).join("");

function run(dec: StreamDecoder, parts: Uint8Array[]) {
  const chunks: ChatChunk[] = [];
  for (const p of parts) chunks.push(...dec.push(p));
  const end = dec.end();
  return { chunks: [...chunks, ...end.chunks], complete: end.complete, error: end.error, usage: dec.usage() };
}

const text = (chunks: ChatChunk[]) => chunks.map((c) => c.choices[0]?.delta.content ?? "").join("");

describe("OpenAI stream decoder", () => {
  it("decodes the recorded stream identically at every chunk boundary", () => {
    const bytes = enc.encode(TEXT_STREAM);
    for (const parts of chunkings(bytes)) {
      const r = run(createOpenAiStreamDecoder({ includeUsage: true }), parts);
      expect(r.complete).toBe(true);
      expect(r.error).toBeUndefined();
      expect(text(r.chunks)).toBe("Grüße, 世界 🚀");
      expect(r.chunks).toHaveLength(5);
      expect(r.chunks[3]?.choices[0]?.finish_reason).toBe("stop");
      expect(r.chunks[4]?.choices).toEqual([]);
      expect(r.chunks[4]?.usage?.total_tokens).toBe(18);
    }
  });

  it("drops the usage chunk and usage:null fields when the client did not ask, but still meters", () => {
    const r = run(createOpenAiStreamDecoder({ includeUsage: false }), [enc.encode(TEXT_STREAM)]);
    expect(r.chunks).toHaveLength(4);
    expect(r.chunks.every((c) => !("usage" in c))).toBe(true);
    expect(r.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 6, total_tokens: 18 });
  });

  it("reassembles tool-call arguments over CRLF framing and reads cached tokens", () => {
    for (const parts of chunkings(enc.encode(TOOL_STREAM), 20)) {
      const r = run(createOpenAiStreamDecoder({ includeUsage: false }), parts);
      const args = r.chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []).map((t) => t.function?.arguments ?? "").join("");
      expect(args).toBe('{"location":"Paris"}');
      expect(r.chunks[0]?.choices[0]?.delta.tool_calls?.[0]).toMatchObject({ id: "call_abc", function: { name: "get_weather" } });
      expect(r.usage?.prompt_tokens_details?.cached_tokens).toBe(64);
      expect(r.complete).toBe(true);
    }
  });

  it("reports complete:false when the stream ends without [DONE]", () => {
    const cut = TEXT_STREAM.slice(0, TEXT_STREAM.indexOf("data: [DONE]"));
    const r = run(createOpenAiStreamDecoder({ includeUsage: true }), [enc.encode(cut)]);
    expect(r.complete).toBe(false);
    expect(r.error).toBeUndefined();
    expect(r.usage?.total_tokens).toBe(18);
  });

  it("turns a malformed chunk into an error and ignores what follows", () => {
    const bad = `data: {"id":"x","choices":[{"index":0,"delta":{"content":"a"}}]}\n\ndata: {"id":"x","choi\n\ndata: {"id":"x","choices":[{"index":0,"delta":{"content":"b"}}]}\n\ndata: [DONE]\n\n`;
    const r = run(createOpenAiStreamDecoder({ includeUsage: false }), [enc.encode(bad)]);
    expect(text(r.chunks)).toBe("a");
    expect(r.complete).toBe(false);
    expect(r.error).toMatchObject({ status: 502, type: "malformed_chunk" });
  });

  it("reports an in-band error object", () => {
    const wire = `data: {"error":{"message":"The server had an error while processing your request.","type":"server_error","param":null,"code":null}}\n\n`;
    const r = run(createOpenAiStreamDecoder({ includeUsage: false }), [enc.encode(wire)]);
    expect(r.error).toEqual({ status: 502, type: "server_error", message: "The server had an error while processing your request." });
  });

  it("moves Mistral's usage-on-last-chunk and Groq's x_groq usage to one final usage chunk", () => {
    const mistral = `data: {"id":"m","object":"chat.completion.chunk","created":1,"model":"mistral-small","choices":[{"index":0,"delta":{"content":"hi"},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"total_tokens":7,"completion_tokens":2}}\n\ndata: [DONE]\n\n`;
    const m = run(createOpenAiStreamDecoder({ includeUsage: true }), [enc.encode(mistral)]);
    expect(m.chunks).toHaveLength(2);
    expect(m.chunks[0]?.usage).toBeNull();
    expect(m.chunks[1]).toMatchObject({ id: "m", choices: [], usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 } });
    const groq = `data: {"id":"g","object":"chat.completion.chunk","created":1,"model":"llama","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"x_groq":{"id":"req_1","usage":{"prompt_tokens":9,"completion_tokens":3,"total_tokens":12}}}\n\ndata: [DONE]\n\n`;
    const g = run(createOpenAiStreamDecoder({ includeUsage: false }), [enc.encode(groq)]);
    expect(g.chunks).toHaveLength(1);
    expect("x_groq" in (g.chunks[0] ?? {})).toBe(false);
    expect(g.usage?.total_tokens).toBe(12);
  });

  it("renames a streamed `reasoning` delta to reasoning_content", () => {
    const wire = `data: {"id":"r","object":"chat.completion.chunk","created":1,"model":"r1","choices":[{"index":0,"delta":{"reasoning":"hmm"},"finish_reason":null}]}\n\ndata: [DONE]\n\n`;
    const r = run(createOpenAiStreamDecoder({ includeUsage: false }), [enc.encode(wire)]);
    expect(r.chunks[0]?.choices[0]?.delta).toEqual({ reasoning_content: "hmm" });
  });
});

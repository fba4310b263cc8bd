import { describe, expect, it } from "vitest";
import type { Target } from "../types";
import { anthropicAdapter } from "./index";

const enc = new TextEncoder();
const target: Target = { provider: "anthropic", baseUrl: "", model: "claude-sonnet-4-5", credentials: { kind: "api-key", apiKey: "k" } };
const ctx = { now: new Date(1_700_000_000_000), requestId: "r" };

describe("Anthropic response -> canonical", () => {
  it("maps text, thinking, tool_use, stop reason and cache usage", () => {
    const wire = JSON.stringify({
      id: "msg_01", type: "message", role: "assistant", model: "claude-sonnet-4-5-20250929",
      content: [
        { type: "thinking", thinking: "Let me see.", signature: "sig" },
        { type: "text", text: "I'll check." },
        { type: "tool_use", id: "toolu_01", name: "get_weather", input: { location: "Paris" } },
      ],
      stop_reason: "tool_use", stop_sequence: null,
      usage: { input_tokens: 10, cache_creation_input_tokens: 20, cache_read_input_tokens: 30, output_tokens: 40, service_tier: "standard" },
    });
    expect(anthropicAdapter.chat.parseChatResponse(enc.encode(wire), target, ctx)).toEqual({
      id: "msg_01", object: "chat.completion", created: 1_700_000_000, model: "claude-sonnet-4-5-20250929",
      choices: [{
        index: 0,
        message: {
          role: "assistant", content: "I'll check.", refusal: null, reasoning_content: "Let me see.",
          tool_calls: [{ id: "toolu_01", type: "function", function: { name: "get_weather", arguments: '{"location":"Paris"}' } }],
        },
        finish_reason: "tool_calls", logprobs: null,
      }],
      usage: { prompt_tokens: 60, completion_tokens: 40, total_tokens: 100, prompt_tokens_details: { cached_tokens: 30, cache_write_tokens: 20 } },
    });
  });

  it("maps each stop reason and a tool-only answer to null content", () => {
    const res = (stop: string, content: unknown[] = [{ type: "text", text: "x" }]) =>
      anthropicAdapter.chat.parseChatResponse(enc.encode(JSON.stringify({ id: "m", model: "c", content, stop_reason: stop, usage: { input_tokens: 1, output_tokens: 1 } })), target, ctx).choices[0];
    expect(["end_turn", "stop_sequence", "max_tokens", "refusal", "pause_turn", "model_context_window_exceeded"].map((s) => res(s)?.finish_reason)).toEqual(["stop", "stop", "length", "content_filter", "stop", "length"]);
    expect(res("tool_use", [{ type: "tool_use", id: "t", name: "f", input: {} }])?.message.content).toBeNull();
  });

  it("refuses a body that is not a message", () => {
    expect(() => anthropicAdapter.chat.parseChatResponse(enc.encode('{"type":"message"}'), target, ctx)).toThrow(/without content/);
  });
});

describe("Anthropic errors", () => {
  it("reads {type:error, error:{type,message}} and retry-after", () => {
    const body = enc.encode('{"type":"error","error":{"type":"rate_limit_error","message":"Number of request tokens has exceeded your per-minute rate limit"},"request_id":"req_1"}');
    expect(anthropicAdapter.chat.parseError(429, new Headers({ "retry-after": "12" }), body)).toEqual({
      status: 429, type: "rate_limit_error", message: "Number of request tokens has exceeded your per-minute rate limit", retryAfterSeconds: 12,
    });
    expect(anthropicAdapter.chat.parseError(529, new Headers(), enc.encode('{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}'))).toEqual({
      status: 529, type: "overloaded_error", message: "Overloaded",
    });
    expect(anthropicAdapter.chat.parseError(502, new Headers(), enc.encode("upstream connect error"))).toEqual({ status: 502, type: "api_error", message: "upstream connect error" });
  });
});

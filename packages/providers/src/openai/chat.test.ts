import type { ChatRequest } from "@portcullis/core";
import { describe, expect, it } from "vitest";
import type { BuildContext, Target } from "../types";
import { openAiAdapter } from "./index";

const enc = new TextEncoder();
const ctx: BuildContext = { now: new Date("2025-01-01T00:00:00Z"), requestId: "req_1" };
const target: Target = { provider: "openai", baseUrl: "", model: "gpt-4o-mini", credentials: { kind: "api-key", apiKey: "sk-test" } };
const chat = openAiAdapter.chat;
const bodyOf = (r: { body: string | Uint8Array }) => JSON.parse(String(r.body)) as Record<string, unknown>;

describe("OpenAI chat request", () => {
  it("sends the request as is with the target model, bearer auth and the default base URL", () => {
    const req: ChatRequest = { model: "alias", messages: [{ role: "user", content: "hi" }], temperature: 0.2, service_tier: "flex" };
    const up = chat.buildChatRequest(req, target, ctx);
    expect(up.method).toBe("POST");
    expect(up.url).toBe("https://api.openai.com/v1/chat/completions");
    expect(up.headers["authorization"]).toBe("Bearer sk-test");
    expect(up.headers["content-type"]).toBe("application/json");
    expect(up.stream).toBe(false);
    expect(bodyOf(up)).toEqual({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }], temperature: 0.2, service_tier: "flex" });
  });

  it("forces include_usage on a stream and keeps the client's other stream options", () => {
    const req: ChatRequest = { model: "m", messages: [{ role: "user", content: "hi" }], stream: true, stream_options: { include_usage: false } };
    const up = chat.buildChatRequest(req, { ...target, baseUrl: "http://127.0.0.1:9/v1/" }, ctx);
    expect(up.url).toBe("http://127.0.0.1:9/v1/chat/completions");
    expect(up.stream).toBe(true);
    expect(up.headers["accept"]).toBe("text/event-stream");
    expect(bodyOf(up)["stream_options"]).toEqual({ include_usage: true });
  });

  it("drops stream_options on a non-stream request and reasoning_content on messages", () => {
    const req: ChatRequest = {
      model: "m",
      messages: [{ role: "assistant", content: "a", reasoning_content: "thoughts" }],
      stream_options: { include_usage: true },
    };
    const body = bodyOf(chat.buildChatRequest(req, target, ctx));
    expect(body["stream_options"]).toBeUndefined();
    expect(body["messages"]).toEqual([{ role: "assistant", content: "a" }]);
  });

  it("adds target headers (organization, project)", () => {
    const up = chat.buildChatRequest({ model: "m", messages: [] }, { ...target, headers: { "openai-organization": "org_1" } }, ctx);
    expect(up.headers["openai-organization"]).toBe("org_1");
  });
});

describe("OpenAI chat response", () => {
  it("parses a recorded response and keeps upstream fields", () => {
    const wire = `{"id":"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT","object":"chat.completion","created":1741569952,"model":"gpt-4o-2024-08-06","choices":[{"index":0,"message":{"role":"assistant","content":"Hello! How can I assist you today?","refusal":null,"annotations":[]},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":19,"completion_tokens":10,"total_tokens":29,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},"service_tier":"default"}`;
    const res = chat.parseChatResponse(enc.encode(wire), target);
    expect(res.choices[0]?.message.content).toBe("Hello! How can I assist you today?");
    expect(res.usage).toMatchObject({ prompt_tokens: 19, completion_tokens: 10, total_tokens: 29, prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 } });
    expect((res as unknown as Record<string, unknown>)["service_tier"]).toBe("default");
  });

  it("maps DeepSeek cache hits and OpenRouter reasoning to canonical fields", () => {
    const deepseek = `{"id":"x","object":"chat.completion","created":1,"model":"deepseek-reasoner","choices":[{"index":0,"message":{"role":"assistant","content":"4","reasoning_content":"2+2"},"finish_reason":"stop"}],"usage":{"prompt_tokens":100,"completion_tokens":5,"total_tokens":105,"prompt_cache_hit_tokens":64,"prompt_cache_miss_tokens":36}}`;
    const a = chat.parseChatResponse(enc.encode(deepseek), target);
    expect(a.usage?.prompt_tokens).toBe(100);
    expect(a.usage?.prompt_tokens_details?.cached_tokens).toBe(64);
    expect(a.choices[0]?.message.reasoning_content).toBe("2+2");
    const openrouter = `{"id":"y","object":"chat.completion","created":1,"model":"r1","choices":[{"index":0,"message":{"role":"assistant","content":"ok","reasoning":"because"},"finish_reason":"stop"}]}`;
    expect(chat.parseChatResponse(enc.encode(openrouter), target).choices[0]?.message.reasoning_content).toBe("because");
  });

  it("refuses a body that is not a chat completion", () => {
    expect(() => chat.parseChatResponse(enc.encode("<html>"), target)).toThrow(/not JSON/);
    expect(() => chat.parseChatResponse(enc.encode("{}"), target)).toThrow(/without choices/);
  });
});

describe("OpenAI errors", () => {
  it("keeps status, type, code, param and retry-after-ms", () => {
    const body = `{"error":{"message":"Rate limit reached for gpt-4o","type":"requests","param":null,"code":"rate_limit_exceeded"}}`;
    const err = chat.parseError(429, new Headers({ "retry-after-ms": "1500", "retry-after": "2" }), enc.encode(body));
    expect(err).toEqual({ status: 429, type: "requests", code: "rate_limit_exceeded", message: "Rate limit reached for gpt-4o", retryAfterSeconds: 1.5 });
  });

  it("reads retry-after seconds and the invalid-param shape", () => {
    const body = `{"error":{"message":"Invalid value for 'temperature'","type":"invalid_request_error","param":"temperature","code":"invalid_value"}}`;
    const err = chat.parseError(400, new Headers({ "retry-after": "7" }), enc.encode(body));
    expect(err).toEqual({ status: 400, type: "invalid_request_error", code: "invalid_value", param: "temperature", message: "Invalid value for 'temperature'", retryAfterSeconds: 7 });
  });

  it("falls back to the text of a non-JSON body and a status-derived type", () => {
    expect(chat.parseError(502, new Headers(), enc.encode("Bad Gateway"))).toEqual({ status: 502, type: "server_error", message: "Bad Gateway" });
    expect(chat.parseError(503, new Headers(), new Uint8Array())).toEqual({ status: 503, type: "server_error", message: "upstream returned HTTP 503" });
  });
});

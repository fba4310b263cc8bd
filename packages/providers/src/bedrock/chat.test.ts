import type { ChatRequest } from "@portcullis/core";
import { describe, expect, it } from "vitest";
import { signAwsRequest } from "../aws/sigv4";
import type { Target } from "../types";
import { bedrockAdapter } from "./index";

const target: Target = {
  provider: "bedrock",
  baseUrl: "",
  model: "anthropic.claude-3-5-sonnet-20240620-v1:0",
  region: "us-west-2",
  credentials: { kind: "aws", accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", sessionToken: "tok123" },
};
const ctx = { now: new Date("2024-06-01T08:30:00Z"), requestId: "req_1" };
const png = "iVBORw0KGgo=";

const request: ChatRequest = {
  model: "claude-sonnet",
  messages: [
    { role: "system", content: "Be brief." },
    { role: "user", content: [{ type: "text", text: "What is in this picture?" }, { type: "image_url", image_url: { url: `data:image/png;base64,${png}` } }] },
    { role: "assistant", content: null, tool_calls: [{ id: "tooluse_1", type: "function", function: { name: "lookup", arguments: '{"q":"cat"}' } }] },
    { role: "tool", tool_call_id: "tooluse_1", content: "a cat" },
    { role: "user", content: "Thanks. Summarize." },
  ],
  max_tokens: 256,
  temperature: 0.2,
  top_p: 0.9,
  stop: ["END"],
  tools: [{ type: "function", function: { name: "lookup", description: "Look a thing up", parameters: { type: "object", properties: { q: { type: "string" } }, required: ["q"] } } }],
  tool_choice: "required",
};

describe("bedrock buildChatRequest", () => {
  it("builds the exact Converse body, URL and signed headers", () => {
    const up = bedrockAdapter.chat.buildChatRequest(request, target, ctx);
    expect(up.method).toBe("POST");
    expect(up.stream).toBe(false);
    expect(up.url).toBe("https://bedrock-runtime.us-west-2.amazonaws.com/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse");
    expect(JSON.parse(up.body as string)).toEqual({
      messages: [
        { role: "user", content: [{ text: "What is in this picture?" }, { image: { format: "png", source: { bytes: png } } }] },
        { role: "assistant", content: [{ toolUse: { toolUseId: "tooluse_1", name: "lookup", input: { q: "cat" } } }] },
        { role: "user", content: [{ toolResult: { toolUseId: "tooluse_1", content: [{ text: "a cat" }] } }, { text: "Thanks. Summarize." }] },
      ],
      system: [{ text: "Be brief." }],
      inferenceConfig: { maxTokens: 256, temperature: 0.2, topP: 0.9, stopSequences: ["END"] },
      toolConfig: {
        tools: [{ toolSpec: { name: "lookup", description: "Look a thing up", inputSchema: { json: { type: "object", properties: { q: { type: "string" } }, required: ["q"] } } } }],
        toolChoice: { any: {} },
      },
    });
    expect(Object.keys(up.headers).sort()).toEqual(
      ["accept", "authorization", "content-type", "x-amz-content-sha256", "x-amz-date", "x-amz-security-token"],
    );
    expect(up.headers["x-amz-date"]).toBe("20240601T083000Z");
    expect(up.headers["x-amz-security-token"]).toBe("tok123");
    expect(up.headers.accept).toBe("application/json");
    expect(up.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20240601\/us-west-2\/bedrock\/aws4_request, SignedHeaders=accept;content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token, Signature=[0-9a-f]{64}$/,
    );
    // The signature covers the model id double-encoded, as the service recomputes it.
    const again = signAwsRequest({
      method: "POST", url: up.url, headers: { "content-type": "application/json", accept: "application/json" }, body: up.body,
      region: "us-west-2", service: "bedrock", credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", sessionToken: "tok123" }, now: ctx.now,
    });
    expect(again.canonicalRequest.split("\n")[1]).toBe("/model/anthropic.claude-3-5-sonnet-20240620-v1%253A0/converse");
    expect(up.headers.authorization).toBe(again.headers.authorization);
  });

  it("streams to converse-stream asking for the event-stream content type", () => {
    const up = bedrockAdapter.chat.buildChatRequest({ ...request, stream: true }, { ...target, baseUrl: "http://127.0.0.1:9999/" }, ctx);
    expect(up.url).toBe("http://127.0.0.1:9999/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse-stream");
    expect(up.stream).toBe(true);
    expect(up.headers.accept).toBe("application/vnd.amazon.eventstream");
  });

  it("maps tool_choice auto, a named function, and none", () => {
    const body = (r: Partial<ChatRequest>) =>
      JSON.parse(bedrockAdapter.chat.buildChatRequest({ ...request, messages: [{ role: "user", content: "hi" }], ...r }, target, ctx).body as string);
    expect(body({ tool_choice: "auto" }).toolConfig.toolChoice).toEqual({ auto: {} });
    expect(body({ tool_choice: { type: "function", function: { name: "lookup" } } }).toolConfig.toolChoice).toEqual({ tool: { name: "lookup" } });
    expect(body({ tool_choice: "none" }).toolConfig).toBeUndefined();
    // With tool blocks in the history Converse insists on a toolConfig, so "none" keeps the tools without a choice.
    const withHistory = JSON.parse(bedrockAdapter.chat.buildChatRequest({ ...request, tool_choice: "none" }, target, ctx).body as string);
    expect(withHistory.toolConfig).toEqual({ tools: expect.any(Array) });
  });

  it("rejects remote image URLs, non-JSON tool arguments, n > 1 and non-AWS credentials", () => {
    const build = (r: ChatRequest, t: Target = target) => () => bedrockAdapter.chat.buildChatRequest(r, t, ctx);
    expect(build({ model: "m", messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "https://x/y.png" } }] }] }))
      .toThrow(expect.objectContaining({ code: "invalid_field", param: "messages[0].content[0].image_url" }));
    expect(build({ model: "m", messages: [{ role: "assistant", content: null, tool_calls: [{ id: "a", type: "function", function: { name: "f", arguments: "{oops" } }] }] }))
      .toThrow(expect.objectContaining({ param: "messages[0].tool_calls[0].function.arguments" }));
    expect(build({ model: "m", n: 2, messages: [] })).toThrow(expect.objectContaining({ param: "n" }));
    expect(build({ model: "m", messages: [] }, { ...target, credentials: { kind: "api-key", apiKey: "k" } })).toThrow(/aws credentials/);
  });
});

describe("bedrock parseChatResponse", () => {
  const bytes = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));

  it("maps text, tool use, reasoning, stop reason and cached usage", () => {
    const res = bedrockAdapter.chat.parseChatResponse(bytes({
      output: { message: { role: "assistant", content: [
        { reasoningContent: { reasoningText: { text: "thinking...", signature: "sig" } } },
        { text: "Let me look." },
        { toolUse: { toolUseId: "tooluse_9", name: "lookup", input: { q: "dog" } } },
      ] } },
      stopReason: "tool_use",
      usage: { inputTokens: 10, outputTokens: 5, totalTokens: 45, cacheReadInputTokens: 20, cacheWriteInputTokens: 10 },
      metrics: { latencyMs: 100 },
    }), target, ctx);
    expect(res).toEqual({
      id: "chatcmpl-req_1",
      object: "chat.completion",
      created: 1717230600,
      model: "anthropic.claude-3-5-sonnet-20240620-v1:0",
      choices: [{
        index: 0,
        finish_reason: "tool_calls",
        message: {
          role: "assistant",
          content: "Let me look.",
          reasoning_content: "thinking...",
          tool_calls: [{ id: "tooluse_9", type: "function", function: { name: "lookup", arguments: '{"q":"dog"}' } }],
        },
      }],
      usage: { prompt_tokens: 40, completion_tokens: 5, total_tokens: 45, prompt_tokens_details: { cached_tokens: 20, cache_write_tokens: 10 } },
    });
  });

  it.each([
    ["end_turn", "stop"], ["stop_sequence", "stop"], ["max_tokens", "length"], ["tool_use", "tool_calls"],
    ["content_filtered", "content_filter"], ["guardrail_intervened", "content_filter"], ["model_context_window_exceeded", "length"],
  ])("maps stopReason %s to %s", (stopReason, finish) => {
    const res = bedrockAdapter.chat.parseChatResponse(bytes({
      output: { message: { role: "assistant", content: [{ text: "x" }] } }, stopReason, usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 },
    }), target, ctx);
    expect(res.choices[0]!.finish_reason).toBe(finish);
    expect(res.usage).toEqual({ prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 });
  });
});

describe("bedrock parseError", () => {
  const err = (status: number, headers: Record<string, string>, body: string) =>
    bedrockAdapter.chat.parseError(status, new Headers(headers), new TextEncoder().encode(body));

  it("reads the type from x-amzn-errortype and the message from the body", () => {
    expect(err(429, { "x-amzn-errortype": "ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/" }, '{"message":"Too many requests, please wait before trying again."}'))
      .toEqual({ status: 429, type: "ThrottlingException", message: "Too many requests, please wait before trying again." });
    expect(err(400, { "x-amzn-errortype": "ValidationException" }, '{"message":"Malformed input request"}'))
      .toMatchObject({ status: 400, type: "ValidationException" });
    expect(err(503, { "x-amzn-errortype": "ServiceUnavailableException", "retry-after": "7" }, '{"message":"down"}'))
      .toEqual({ status: 503, type: "ServiceUnavailableException", message: "down", retryAfterSeconds: 7 });
  });

  it("falls back to the body's __type and Message, then to the status", () => {
    expect(err(403, {}, '{"__type":"com.amazon.coral.service#UnrecognizedClientException","Message":"The security token included in the request is invalid."}'))
      .toEqual({ status: 403, type: "UnrecognizedClientException", message: "The security token included in the request is invalid." });
    expect(err(502, {}, "<html>bad gateway</html>")).toEqual({ status: 502, type: "http_502", message: "<html>bad gateway</html>" });
  });
});

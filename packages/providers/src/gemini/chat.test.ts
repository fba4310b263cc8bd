import type { ChatRequest } from "@portcullis/core";
import { describe, expect, it } from "vitest";
import type { Target } from "../types";
import { geminiAdapter } from "./index";
import { splitToolCallId, toolCallId } from "./tool-ids";

const target: Target = { provider: "gemini", baseUrl: "", model: "gemini-2.5-flash", credentials: { kind: "api-key", apiKey: "AIza-test" } };
const ctx = { now: new Date("2025-01-02T03:04:05Z"), requestId: "req_g" };
const bytes = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));

const request: ChatRequest = {
  model: "gemini",
  messages: [
    { role: "system", content: "You are terse." },
    { role: "user", content: [{ type: "text", text: "Describe" }, { type: "image_url", image_url: { url: "data:image/jpeg;base64,/9j/AA==" } }] },
    { role: "assistant", content: "Calling.", tool_calls: [{ id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }] },
    { role: "tool", tool_call_id: "call_1", content: '{"temp":21}' },
    { role: "tool", tool_call_id: "call_1", content: "sunny" },
    { role: "user", content: "And tomorrow?" },
  ],
  max_completion_tokens: 100,
  temperature: 0.5,
  top_p: 0.8,
  stop: "###",
  seed: 7,
  tools: [{ type: "function", function: { name: "get_weather", description: "Weather by city", parameters: {
    type: "object", additionalProperties: false, $schema: "http://json-schema.org/draft-07/schema#",
    properties: { city: { type: "string" }, unit: { type: ["string", "null"], enum: ["c", "f", null] } }, required: ["city"],
  } } }],
  tool_choice: { type: "function", function: { name: "get_weather" } },
  response_format: { type: "json_schema", json_schema: { name: "w", schema: { type: "object", properties: { t: { const: "x" } } } } },
};

describe("gemini buildChatRequest", () => {
  it("builds the exact generateContent body, URL and headers", () => {
    const up = geminiAdapter.chat.buildChatRequest(request, target, ctx);
    expect(up).toMatchObject({ method: "POST", stream: false, url: "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent" });
    expect(up.headers).toEqual({ "content-type": "application/json", accept: "application/json", "x-goog-api-key": "AIza-test" });
    expect(JSON.parse(up.body as string)).toEqual({
      contents: [
        { role: "user", parts: [{ text: "Describe" }, { inlineData: { mimeType: "image/jpeg", data: "/9j/AA==" } }] },
        { role: "model", parts: [{ text: "Calling." }, { functionCall: { name: "get_weather", args: { city: "Paris" } } }] },
        { role: "user", parts: [
          { functionResponse: { name: "get_weather", response: { temp: 21 } } },
          { functionResponse: { name: "get_weather", response: { result: "sunny" } } },
          { text: "And tomorrow?" },
        ] },
      ],
      systemInstruction: { parts: [{ text: "You are terse." }] },
      tools: [{ functionDeclarations: [{ name: "get_weather", description: "Weather by city", parameters: {
        type: "object", properties: { city: { type: "string" }, unit: { type: "string", nullable: true, enum: ["c", "f", null] } }, required: ["city"],
      } }] }],
      toolConfig: { functionCallingConfig: { mode: "ANY", allowedFunctionNames: ["get_weather"] } },
      generationConfig: {
        maxOutputTokens: 100, temperature: 0.5, topP: 0.8, stopSequences: ["###"], seed: 7,
        responseMimeType: "application/json", responseSchema: { type: "object", properties: { t: { enum: ["x"] } } },
      },
    });
  });

  it("streams with alt=sse and maps the other tool choices", () => {
    const up = geminiAdapter.chat.buildChatRequest({ ...request, stream: true, tool_choice: "auto" }, { ...target, baseUrl: "http://127.0.0.1:1234/" }, ctx);
    expect(up.url).toBe("http://127.0.0.1:1234/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
    expect(up.headers.accept).toBe("text/event-stream");
    expect(JSON.parse(up.body as string).toolConfig).toEqual({ functionCallingConfig: { mode: "AUTO" } });
    const mode = (c: ChatRequest["tool_choice"]) => JSON.parse(geminiAdapter.chat.buildChatRequest({ ...request, tool_choice: c }, target, ctx).body as string).toolConfig;
    expect(mode("none")).toEqual({ functionCallingConfig: { mode: "NONE" } });
    expect(mode("required")).toEqual({ functionCallingConfig: { mode: "ANY" } });
    expect(mode(undefined)).toBeUndefined();
  });

  it("replays a thought signature carried in the tool-call id, and the documented placeholder on Gemini 3", () => {
    const withSig = { ...request, messages: [
      { role: "user" as const, content: "hi" },
      { role: "assistant" as const, content: null, tool_calls: [
        { id: toolCallId("call_a", "c2lnbmF0dXJl+/A="), type: "function" as const, function: { name: "get_weather", arguments: "{}" } },
      ] },
      { role: "tool" as const, tool_call_id: toolCallId("call_a", "c2lnbmF0dXJl+/A="), content: "ok" },
    ], response_format: undefined, tools: undefined, tool_choice: undefined };
    const body = JSON.parse(geminiAdapter.chat.buildChatRequest(withSig, target, ctx).body as string);
    expect(body.contents[1].parts[0]).toEqual({ functionCall: { name: "get_weather", args: {} }, thoughtSignature: "c2lnbmF0dXJl+/A=" });
    const plain = { ...withSig, messages: [withSig.messages[0]!, { ...withSig.messages[1]!, tool_calls: [{ id: "x", type: "function" as const, function: { name: "f", arguments: "" } }] }] };
    const g3 = JSON.parse(geminiAdapter.chat.buildChatRequest(plain, { ...target, model: "gemini-3-pro-preview" }, ctx).body as string);
    expect(g3.contents[1].parts[0].thoughtSignature).toBe("skip_thought_signature_validator");
    const g25 = JSON.parse(geminiAdapter.chat.buildChatRequest(plain, target, ctx).body as string);
    expect(g25.contents[1].parts[0].thoughtSignature).toBeUndefined();
  });

  it("maps reasoning effort, n, penalties and logprobs; rejects orphan tool results", () => {
    const g = JSON.parse(geminiAdapter.chat.buildChatRequest({
      model: "m", messages: [{ role: "user", content: "x" }], reasoning_effort: "medium", n: 2, presence_penalty: 0.1, frequency_penalty: 0.2, logprobs: true, top_logprobs: 3,
      response_format: { type: "json_object" },
    }, target, ctx).body as string).generationConfig;
    expect(g).toEqual({ candidateCount: 2, presencePenalty: 0.1, frequencyPenalty: 0.2, responseLogprobs: true, logprobs: 3, responseMimeType: "application/json", thinkingConfig: { thinkingBudget: 8192 } });
    expect(() => geminiAdapter.chat.buildChatRequest({ model: "m", messages: [{ role: "tool", tool_call_id: "nope", content: "x" }] }, target, ctx))
      .toThrow(expect.objectContaining({ code: "invalid_field", param: "messages[0].tool_call_id" }));
    expect(() => geminiAdapter.chat.buildChatRequest({ model: "m", messages: [] }, { ...target, credentials: { kind: "none" } }, ctx)).toThrow(/API key/);
  });
});

describe("gemini parseChatResponse", () => {
  it("maps text, thoughts, function calls with signatures, finish reason and usage", () => {
    const res = geminiAdapter.chat.parseChatResponse(bytes({
      candidates: [{
        content: { role: "model", parts: [
          { text: "Let me think.", thought: true },
          { text: "Checking the weather." },
          { functionCall: { name: "get_weather", args: { city: "Oslo" } }, thoughtSignature: "AbC+/9E=" },
          { functionCall: { name: "get_weather", args: { city: "Rome" } } },
        ] },
        finishReason: "STOP",
        index: 0,
      }],
      usageMetadata: { promptTokenCount: 50, candidatesTokenCount: 20, totalTokenCount: 100, cachedContentTokenCount: 32, thoughtsTokenCount: 30 },
      modelVersion: "gemini-2.5-flash-001",
      responseId: "resp-1",
    }), target, ctx);
    expect(res).toEqual({
      id: "chatcmpl-req_g", object: "chat.completion", created: 1735787045, model: "gemini-2.5-flash-001",
      choices: [{
        index: 0, finish_reason: "tool_calls",
        message: {
          role: "assistant", content: "Checking the weather.", reasoning_content: "Let me think.",
          tool_calls: [
            { id: "call_req_g_0_0__sig__AbC-_9E", type: "function", function: { name: "get_weather", arguments: '{"city":"Oslo"}' } },
            { id: "call_req_g_0_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Rome"}' } },
          ],
        },
      }],
      usage: { prompt_tokens: 50, completion_tokens: 50, total_tokens: 100, prompt_tokens_details: { cached_tokens: 32 }, completion_tokens_details: { reasoning_tokens: 30 } },
    });
    expect(splitToolCallId(res.choices[0]!.message.tool_calls![0]!.id)).toEqual({ base: "call_req_g_0_0", signature: "AbC+/9E=" });
  });

  it.each([["STOP", "stop"], ["MAX_TOKENS", "length"], ["SAFETY", "content_filter"], ["RECITATION", "content_filter"], ["PROHIBITED_CONTENT", "content_filter"], ["OTHER", "stop"]])(
    "maps finishReason %s to %s", (finishReason, expected) => {
      const res = geminiAdapter.chat.parseChatResponse(bytes({ candidates: [{ content: { parts: [{ text: "x" }] }, finishReason }] }), target, ctx);
      expect(res.choices[0]!.finish_reason).toBe(expected);
    });

  it("turns a blocked prompt into a content_filter choice and uses the body's id without a context", () => {
    const res = geminiAdapter.chat.parseChatResponse(bytes({
      promptFeedback: { blockReason: "SAFETY" }, usageMetadata: { promptTokenCount: 8, totalTokenCount: 8 }, responseId: "r9", createTime: "2025-03-01T00:00:00Z",
    }), target);
    expect(res.id).toBe("chatcmpl-r9");
    expect(res.created).toBe(1740787200);
    expect(res.choices).toEqual([{ index: 0, message: { role: "assistant", content: "", refusal: "SAFETY" }, finish_reason: "content_filter" }]);
    expect(res.usage).toEqual({ prompt_tokens: 8, completion_tokens: 0, total_tokens: 8 });
  });
});

describe("gemini parseError", () => {
  const err = (status: number, body: unknown, headers: Record<string, string> = {}) =>
    geminiAdapter.chat.parseError(status, new Headers(headers), typeof body === "string" ? new TextEncoder().encode(body) : bytes(body));

  it("maps the Google error body, including RetryInfo", () => {
    expect(err(429, { error: { code: 429, message: "Resource has been exhausted (e.g. check quota).", status: "RESOURCE_EXHAUSTED", details: [
      { "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "31s" },
    ] } })).toEqual({ status: 429, type: "RESOURCE_EXHAUSTED", message: "Resource has been exhausted (e.g. check quota).", retryAfterSeconds: 31 });
    expect(err(400, [{ error: { code: 400, message: "API key not valid. Please pass a valid API key.", status: "INVALID_ARGUMENT" } }]))
      .toEqual({ status: 400, type: "INVALID_ARGUMENT", message: "API key not valid. Please pass a valid API key." });
    expect(err(503, "upstream connect error", { "retry-after": "3" })).toEqual({ status: 503, type: "http_503", message: "upstream connect error", retryAfterSeconds: 3 });
  });
});

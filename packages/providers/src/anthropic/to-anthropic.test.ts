import type { ChatRequest } from "@portcullis/core";
import { PortcullisError } from "@portcullis/core";
import { describe, expect, it } from "vitest";
import type { Target } from "../types";
import { defaultAnthropicMaxTokens } from "./api";
import { anthropicAdapter, canonicalToAnthropicRequest, createAnthropicAdapter } from "./index";

const ctx = { now: new Date(0), requestId: "r" };
const target: Target = { provider: "anthropic", baseUrl: "", model: "claude-sonnet-4-5", credentials: { kind: "api-key", apiKey: "sk-ant" } };

describe("canonical -> Anthropic request", () => {
  it("extracts system, converts tools, tool calls, tool results and images", () => {
    const req: ChatRequest = {
      model: "alias",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: [{ type: "text", text: "Weather?" }, { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } }] },
        { role: "assistant", content: null, tool_calls: [{ id: "toolu_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }] },
        { role: "tool", tool_call_id: "toolu_1", content: "18C" },
        { role: "user", content: [{ type: "image_url", image_url: { url: "https://x/y.jpg" } }] },
      ],
      tools: [{ type: "function", function: { name: "get_weather", description: "Weather", parameters: { type: "object", properties: { city: { type: "string" } } } } }],
      tool_choice: "required",
      parallel_tool_calls: false,
      stop: "END",
      user: "u-1",
      temperature: 1.5,
      max_tokens: 300,
    };
    expect(canonicalToAnthropicRequest(req, "claude-sonnet-4-5")).toEqual({
      model: "claude-sonnet-4-5",
      max_tokens: 300,
      system: "Be brief.",
      messages: [
        { role: "user", content: [{ type: "text", text: "Weather?" }, { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } }] },
        { role: "assistant", content: [{ type: "tool_use", id: "toolu_1", name: "get_weather", input: { city: "Paris" } }] },
        {
          role: "user",
          content: [
            { type: "tool_result", tool_use_id: "toolu_1", content: "18C" },
            { type: "image", source: { type: "url", url: "https://x/y.jpg" } },
          ],
        },
      ],
      tools: [{ name: "get_weather", description: "Weather", input_schema: { type: "object", properties: { city: { type: "string" } } } }],
      tool_choice: { type: "any", disable_parallel_tool_use: true },
      stop_sequences: ["END"],
      metadata: { user_id: "u-1" },
      temperature: 1,
    });
  });

  it("keeps several system messages as blocks and maps the other tool choices", () => {
    const base: ChatRequest = { model: "m", messages: [{ role: "system", content: "a" }, { role: "developer", content: [{ type: "text", text: "b" }] }, { role: "user", content: "hi" }] };
    const out = canonicalToAnthropicRequest({ ...base, tools: [{ type: "function", function: { name: "f" } }], tool_choice: { type: "function", function: { name: "f" } } }, "m");
    expect(out.system).toEqual([{ type: "text", text: "a" }, { type: "text", text: "b" }]);
    expect(out.tools).toEqual([{ name: "f", input_schema: { type: "object", properties: {} } }]);
    expect(out.tool_choice).toEqual({ type: "tool", name: "f" });
    expect(canonicalToAnthropicRequest({ ...base, tool_choice: "none" }, "m").tool_choice).toEqual({ type: "none" });
    expect(canonicalToAnthropicRequest({ ...base, tool_choice: "auto" }, "m").tool_choice).toEqual({ type: "auto" });
  });

  it("defaults max_tokens per model and honours max_completion_tokens", () => {
    const msgs: ChatRequest["messages"] = [{ role: "user", content: "x" }];
    expect(canonicalToAnthropicRequest({ model: "m", messages: msgs }, "claude-3-haiku-20240307").max_tokens).toBe(4096);
    expect(canonicalToAnthropicRequest({ model: "m", messages: msgs }, "claude-3-5-sonnet-20241022").max_tokens).toBe(8192);
    expect(canonicalToAnthropicRequest({ model: "m", messages: msgs, max_completion_tokens: 77, max_tokens: 5 }, "x").max_tokens).toBe(77);
    expect(canonicalToAnthropicRequest({ model: "m", messages: msgs }, "x", { defaultMaxTokens: 1234 }).max_tokens).toBe(1234);
    expect([defaultAnthropicMaxTokens("claude-opus-4-1-20250805"), defaultAnthropicMaxTokens("claude-sonnet-4-5"), defaultAnthropicMaxTokens("claude-opus-4-5")]).toEqual([32000, 64000, 64000]);
  });

  it("turns reasoning_effort into a thinking budget and drops sampling changes", () => {
    const out = canonicalToAnthropicRequest({ model: "m", messages: [{ role: "user", content: "x" }], reasoning_effort: "medium", temperature: 0.3 }, "claude-sonnet-4-5");
    expect(out.thinking).toEqual({ type: "enabled", budget_tokens: 8192 });
    expect(out.max_tokens).toBe(64000);
    expect(out.temperature).toBeUndefined();
    const small = canonicalToAnthropicRequest({ model: "m", messages: [{ role: "user", content: "x" }], reasoning_effort: "high", max_tokens: 4000 }, "claude-sonnet-4-5");
    expect(small.thinking).toEqual({ type: "enabled", budget_tokens: 2000 });
    expect(small.max_tokens).toBe(4000);
    const grown = canonicalToAnthropicRequest({ model: "m", messages: [{ role: "user", content: "x" }], reasoning_effort: "high" }, "claude-3-haiku-20240307");
    expect(grown).toMatchObject({ thinking: { type: "enabled", budget_tokens: 16384 }, max_tokens: 16384 + 4096 });
    const tooSmall = canonicalToAnthropicRequest({ model: "m", messages: [{ role: "user", content: "x" }], reasoning_effort: "low", max_tokens: 1500, temperature: 0.5 }, "m");
    expect(tooSmall.thinking).toBeUndefined();
    expect(tooSmall.temperature).toBe(0.5);
    const forced = canonicalToAnthropicRequest({ model: "m", messages: [{ role: "user", content: "x" }], reasoning_effort: "low", tools: [{ type: "function", function: { name: "f" } }], tool_choice: "required" }, "m");
    expect(forced.thinking).toBeUndefined();
  });

  it("refuses n > 1 and tool arguments that are not a JSON object", () => {
    expect(() => canonicalToAnthropicRequest({ model: "m", messages: [], n: 2 }, "m")).toThrow(PortcullisError);
    try {
      canonicalToAnthropicRequest({ model: "m", messages: [{ role: "assistant", content: null, tool_calls: [{ id: "t", type: "function", function: { name: "f", arguments: "[1" } }] }] }, "m");
      expect.unreachable();
    } catch (e) {
      expect((e as PortcullisError).param).toBe("messages[0].tool_calls[0].function.arguments");
    }
  });
});

describe("Anthropic upstream request", () => {
  it("posts to /v1/messages with x-api-key and the default anthropic-version", () => {
    const up = anthropicAdapter.chat.buildChatRequest({ model: "alias", messages: [{ role: "user", content: "hi" }], stream: true }, target, ctx);
    expect(up.url).toBe("https://api.anthropic.com/v1/messages");
    expect(up.headers).toMatchObject({ "x-api-key": "sk-ant", "anthropic-version": "2023-06-01", accept: "text/event-stream", "content-type": "application/json" });
    expect(up.stream).toBe(true);
    expect(JSON.parse(String(up.body))).toEqual({ model: "claude-sonnet-4-5", max_tokens: 64000, messages: [{ role: "user", content: "hi" }], stream: true });
  });

  it("uses Bearer for a token, a configurable version, and a base URL ending in /v1", () => {
    const a = createAnthropicAdapter({ version: "2026-10-21" });
    const up = a.chat.buildChatRequest({ model: "m", messages: [] }, { ...target, baseUrl: "http://127.0.0.1:9/v1", credentials: { kind: "bearer", token: "oat" } }, ctx);
    expect(up.url).toBe("http://127.0.0.1:9/v1/messages");
    expect(up.headers["authorization"]).toBe("Bearer oat");
    expect(up.headers["x-api-key"]).toBeUndefined();
    expect(up.headers["anthropic-version"]).toBe("2026-10-21");
    const pinned = a.chat.buildChatRequest({ model: "m", messages: [] }, { ...target, apiVersion: "2023-01-01" }, ctx);
    expect(pinned.headers["anthropic-version"]).toBe("2023-01-01");
  });
});

import type { ChatChunk, ChatResponse, MessagesRequest } from "@portcullis/core";
import { PortcullisError } from "@portcullis/core";
import { describe, expect, it } from "vitest";
import { createSseParser } from "../shared/sse";
import {
  anthropicRequestToCanonical, anthropicResponseToCanonical, canonicalResponseToAnthropic, canonicalToAnthropicRequest,
  createAnthropicStreamDecoder, createAnthropicStreamEncoder,
} from "./index";

const claudeCodeLike: MessagesRequest = {
  model: "claude-sonnet-4-5",
  max_tokens: 1024,
  system: [{ type: "text", text: "You are a coding agent.", cache_control: { type: "ephemeral" } }],
  messages: [
    { role: "user", content: [{ type: "text", text: "List files" }, { type: "image", source: { type: "base64", media_type: "image/png", data: "AAAA" } }] },
    {
      role: "assistant",
      content: [
        { type: "thinking", thinking: "Use ls.", signature: "sig" },
        { type: "text", text: "Running ls." },
        { type: "tool_use", id: "toolu_1", name: "bash", input: { cmd: "ls" } },
      ],
    },
    { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: [{ type: "text", text: "a.ts\nb.ts" }] }, { type: "text", text: "Now count them" }] },
  ],
  tools: [{ name: "bash", description: "Run a command", input_schema: { type: "object", properties: { cmd: { type: "string" } } } }],
  tool_choice: { type: "auto", disable_parallel_tool_use: true },
  stop_sequences: ["###"],
  temperature: 0.4,
  top_k: 5,
  stream: true,
  metadata: { user_id: "user_42" },
  thinking: { type: "enabled", budget_tokens: 4000 },
};

describe("anthropicRequestToCanonical", () => {
  it("translates a Claude Code style request", () => {
    expect(anthropicRequestToCanonical(claudeCodeLike)).toEqual({
      model: "claude-sonnet-4-5",
      max_tokens: 1024,
      messages: [
        { role: "system", content: [{ type: "text", text: "You are a coding agent." }] },
        { role: "user", content: [{ type: "text", text: "List files" }, { type: "image_url", image_url: { url: "data:image/png;base64,AAAA" } }] },
        {
          role: "assistant", content: "Running ls.", reasoning_content: "Use ls.",
          tool_calls: [{ id: "toolu_1", type: "function", function: { name: "bash", arguments: '{"cmd":"ls"}' } }],
        },
        { role: "tool", tool_call_id: "toolu_1", content: "a.ts\nb.ts" },
        { role: "user", content: [{ type: "text", text: "Now count them" }] },
      ],
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.4,
      stop: ["###"],
      user: "user_42",
      tools: [{ type: "function", function: { name: "bash", description: "Run a command", parameters: { type: "object", properties: { cmd: { type: "string" } } } } }],
      tool_choice: "auto",
      parallel_tool_calls: false,
      reasoning_effort: "medium",
    });
  });

  it("moves tool-result images to the following user turn", () => {
    const out = anthropicRequestToCanonical({
      model: "m", max_tokens: 10,
      messages: [{ role: "user", content: [{ type: "tool_result", tool_use_id: "t", content: [{ type: "text", text: "shot" }, { type: "image", source: { type: "url", url: "https://x/s.png" } }] }] }],
    });
    expect(out.messages).toEqual([
      { role: "tool", tool_call_id: "t", content: "shot" },
      { role: "user", content: [{ type: "image_url", image_url: { url: "https://x/s.png" } }] },
    ]);
  });

  it("refuses what only Anthropic understands, naming the field", () => {
    const cases: Array<[MessagesRequest, string]> = [
      [{ model: "m", max_tokens: 1, messages: [{ role: "user", content: [{ type: "document", source: { type: "base64" } }] }] }, "messages[0].content[0]"],
      [{ model: "m", max_tokens: 1, messages: [], tools: [{ type: "web_search_20250305", name: "web_search" }] }, "tools[0].type"],
      [{ model: "m", max_tokens: 1, messages: [{ role: "assistant", content: [{ type: "server_tool_use", id: "s", name: "web_search", input: {} }] }] }, "messages[0].content[0]"],
    ];
    for (const [req, param] of cases) {
      try {
        anthropicRequestToCanonical(req);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(PortcullisError);
        expect((e as PortcullisError).param).toBe(param);
      }
    }
  });

  it("round-trips through canonical back to an equivalent Anthropic body", () => {
    const simple: MessagesRequest = {
      model: "claude-haiku-4-5", max_tokens: 200, system: "Be terse.",
      messages: [
        { role: "user", content: "What is 2+2?" },
        { role: "assistant", content: [{ type: "tool_use", id: "toolu_9", name: "calc", input: { expr: "2+2" } }] },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_9", content: "4" }] },
      ],
      tools: [{ name: "calc", input_schema: { type: "object" } }],
      tool_choice: { type: "tool", name: "calc" },
      stop_sequences: ["\n\n"],
    };
    expect(canonicalToAnthropicRequest(anthropicRequestToCanonical(simple), "claude-haiku-4-5")).toEqual(simple);
  });
});

const canonical: ChatResponse = {
  id: "chatcmpl-abc", object: "chat.completion", created: 1, model: "gpt-4o",
  choices: [{
    index: 0, finish_reason: "tool_calls",
    message: { role: "assistant", content: "Let me look.", tool_calls: [{ id: "call_1", type: "function", function: { name: "bash", arguments: '{"cmd":"ls"}' } }] },
  }],
  usage: { prompt_tokens: 120, completion_tokens: 30, total_tokens: 150, prompt_tokens_details: { cached_tokens: 100 } },
};

describe("canonicalResponseToAnthropic", () => {
  it("builds a Message with blocks, stop reason and split usage", () => {
    expect(canonicalResponseToAnthropic(canonical, { model: "claude-sonnet-4-5" })).toEqual({
      id: "msg_abc", type: "message", role: "assistant", model: "claude-sonnet-4-5",
      content: [{ type: "text", text: "Let me look." }, { type: "tool_use", id: "call_1", name: "bash", input: { cmd: "ls" } }],
      stop_reason: "tool_use", stop_sequence: null,
      usage: { input_tokens: 20, output_tokens: 30, cache_creation_input_tokens: 0, cache_read_input_tokens: 100 },
    });
  });

  it("keeps unparseable arguments instead of dropping them, and round-trips usage", () => {
    const bad = { ...canonical, choices: [{ ...canonical.choices[0]!, message: { role: "assistant" as const, content: null, tool_calls: [{ id: "c", type: "function" as const, function: { name: "f", arguments: "{oops" } }] } }] };
    expect(canonicalResponseToAnthropic(bad).content).toEqual([{ type: "tool_use", id: "c", name: "f", input: { _raw_arguments: "{oops" } }]);
    const back = anthropicResponseToCanonical(canonicalResponseToAnthropic(canonical), { created: 1 });
    expect(back.usage).toEqual({ prompt_tokens: 120, completion_tokens: 30, total_tokens: 150, prompt_tokens_details: { cached_tokens: 100, cache_write_tokens: 0 } });
    expect(back.choices[0]?.message.tool_calls).toEqual(canonical.choices[0]?.message.tool_calls);
  });
});

const chunk = (delta: ChatChunk["choices"][number]["delta"], finish: ChatChunk["choices"][number]["finish_reason"] = null): ChatChunk => ({
  id: "chatcmpl-s1", object: "chat.completion.chunk", created: 1, model: "gpt-4o", choices: [{ index: 0, delta, finish_reason: finish }],
});
const usageChunk: ChatChunk = {
  id: "chatcmpl-s1", object: "chat.completion.chunk", created: 1, model: "gpt-4o", choices: [],
  usage: { prompt_tokens: 50, completion_tokens: 12, total_tokens: 62, prompt_tokens_details: { cached_tokens: 10 } },
};
const canonicalStream: ChatChunk[] = [
  chunk({ role: "assistant", content: "" }),
  chunk({ reasoning_content: "think" }),
  chunk({ content: "Hel" }),
  chunk({ content: "lo" }),
  chunk({ tool_calls: [{ index: 0, id: "call_a", type: "function", function: { name: "f", arguments: "" } }] }),
  chunk({ tool_calls: [{ index: 0, function: { arguments: '{"x":' } }] }),
  chunk({ tool_calls: [{ index: 0, function: { arguments: "1}" } }] }),
  chunk({ tool_calls: [{ index: 1, id: "call_b", type: "function", function: { name: "g", arguments: "{}" } }] }),
  chunk({}, "tool_calls"),
  usageChunk,
];

function events(sse: string): Array<Record<string, unknown>> {
  return createSseParser().push(sse).map((e) => ({ event: e.event, ...(JSON.parse(e.data) as Record<string, unknown>) }));
}

describe("createAnthropicStreamEncoder", () => {
  it("numbers blocks in order and ends with message_delta and message_stop", () => {
    const enc = createAnthropicStreamEncoder({ model: "claude-sonnet-4-5", inputTokens: 7 });
    const out = canonicalStream.map((c) => enc.push(c)).join("") + enc.end();
    const evs = events(out);
    expect(evs.every((e) => e.event === e["type"])).toBe(true);
    expect(evs.map((e) => `${String(e["type"])}${"index" in e ? `#${String(e["index"])}` : ""}`)).toEqual([
      "message_start",
      "content_block_start#0", "content_block_delta#0", "content_block_stop#0",
      "content_block_start#1", "content_block_delta#1", "content_block_delta#1", "content_block_stop#1",
      "content_block_start#2", "content_block_delta#2", "content_block_delta#2", "content_block_stop#2",
      "content_block_start#3", "content_block_delta#3", "content_block_stop#3",
      "message_delta", "message_stop",
    ]);
    expect(evs[0]).toMatchObject({ message: { id: "msg_s1", model: "claude-sonnet-4-5", content: [], stop_reason: null, usage: { input_tokens: 7, output_tokens: 0 } } });
    expect(evs[8]).toMatchObject({ content_block: { type: "tool_use", id: "call_a", name: "f", input: {} } });
    expect(evs[15]).toEqual({
      event: "message_delta", type: "message_delta", delta: { stop_reason: "tool_use", stop_sequence: null },
      usage: { output_tokens: 12, input_tokens: 40, cache_creation_input_tokens: 0, cache_read_input_tokens: 10 },
    });
  });

  it("decodes back to the same content, tool calls, finish reason and usage", () => {
    const enc = createAnthropicStreamEncoder({ model: "m" });
    const sse = canonicalStream.map((c) => enc.push(c)).join("") + enc.end();
    const dec = createAnthropicStreamDecoder({ created: 1, includeUsage: true });
    const out = dec.push(new TextEncoder().encode(sse));
    expect(dec.end().complete).toBe(true);
    const deltas = out.flatMap((c) => c.choices.map((ch) => ch.delta));
    expect(deltas.map((d) => d.content ?? "").join("")).toBe("Hello");
    expect(deltas.map((d) => d.reasoning_content ?? "").join("")).toBe("think");
    const args = new Map<number, string>();
    for (const d of deltas) for (const t of d.tool_calls ?? []) args.set(t.index, (args.get(t.index) ?? "") + (t.function?.arguments ?? ""));
    expect([...args.entries()]).toEqual([[0, '{"x":1}'], [1, "{}"]]);
    expect(out.find((c) => c.choices[0]?.finish_reason)?.choices[0]?.finish_reason).toBe("tool_calls");
    expect(dec.usage()).toEqual({ prompt_tokens: 50, completion_tokens: 12, total_tokens: 62, prompt_tokens_details: { cached_tokens: 10, cache_write_tokens: 0 } });
  });

  it("emits a complete empty message for an empty stream and error/ping events on demand", () => {
    const enc = createAnthropicStreamEncoder({ model: "m", id: "msg_x" });
    expect(events(enc.end()).map((e) => e["type"])).toEqual(["message_start", "message_delta", "message_stop"]);
    expect(enc.end()).toBe("");
    const enc2 = createAnthropicStreamEncoder({ model: "m" });
    enc2.push(chunk({ content: "a" }));
    expect(events(enc2.error("overloaded_error", "Overloaded"))).toEqual([{ event: "error", type: "error", error: { type: "overloaded_error", message: "Overloaded" } }]);
    expect(enc2.push(chunk({ content: "b" }))).toBe("");
    expect(enc2.ping()).toBe('event: ping\ndata: {"type":"ping"}\n\n');
  });
});

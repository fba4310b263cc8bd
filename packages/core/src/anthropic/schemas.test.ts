import { describe, expect, it } from "vitest";
import { PortcullisError } from "../errors";
import { parseOrThrow } from "../parse-or-throw";
import { countTokensRequestSchema, isKnownContentBlock, messagesRequestSchema } from "./schemas";

function errorOf(fn: () => unknown): PortcullisError {
  try {
    fn();
  } catch (e) {
    if (e instanceof PortcullisError) return e;
    throw e;
  }
  throw new Error("expected a PortcullisError");
}

const base = { model: "claude-sonnet-4-5", max_tokens: 100, messages: [{ role: "user", content: "hi" }] };

describe("messagesRequestSchema", () => {
  it("accepts every modelled block and unknown block types", () => {
    const out = parseOrThrow(messagesRequestSchema, {
      ...base,
      system: [{ type: "text", text: "sys", cache_control: { type: "ephemeral" } }],
      messages: [
        { role: "user", content: [{ type: "text", text: "a" }, { type: "image", source: { type: "base64", media_type: "image/png", data: "AA==" } }] },
        {
          role: "assistant",
          content: [
            { type: "thinking", thinking: "hmm", signature: "sig" },
            { type: "redacted_thinking", data: "xx" },
            { type: "tool_use", id: "toolu_1", name: "get", input: { q: 1 } },
            { type: "server_tool_use", id: "srvtoolu_1", name: "web_search", input: {} },
          ],
        },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: [{ type: "text", text: "r" }], is_error: false }] },
      ],
      tools: [{ name: "get", input_schema: { type: "object" } }, { type: "web_search_20250305", name: "web_search", max_uses: 3 }],
      tool_choice: { type: "any", disable_parallel_tool_use: true },
      thinking: { type: "enabled", budget_tokens: 2048 },
      context_management: { edits: [] },
    });
    expect(out.context_management).toEqual({ edits: [] });
    const blocks = out.messages[1]?.content;
    expect(Array.isArray(blocks) && blocks.map((b) => isKnownContentBlock(b))).toEqual([true, true, true, false]);
  });

  it("names the exact field of a bad known block", () => {
    const err = errorOf(() =>
      parseOrThrow(messagesRequestSchema, { ...base, messages: [{ role: "user", content: [{ type: "text", text: "ok" }, { type: "text", text: 3 }] }] }),
    );
    expect(err.param).toBe("messages[0].content[1].text");
    expect(err.message).toBe("messages[0].content[1].text: expected string, received number");
  });

  it("reports nested tool_result content and image source errors", () => {
    const tr = errorOf(() =>
      parseOrThrow(messagesRequestSchema, {
        ...base,
        messages: [{ role: "user", content: [{ type: "tool_result", tool_use_id: "t", content: [{ type: "text" }] }] }],
      }),
    );
    expect(tr.message).toBe("messages[0].content[0].content[0].text: required");
    const img = errorOf(() =>
      parseOrThrow(messagesRequestSchema, { ...base, messages: [{ role: "user", content: [{ type: "image", source: { type: "ftp" } }] }] }),
    );
    expect(img.param).toBe("messages[0].content[0].source.type");
  });

  it("requires max_tokens and bounds temperature to Anthropic's range", () => {
    expect(errorOf(() => parseOrThrow(messagesRequestSchema, { model: "m", messages: [] })).message).toBe("max_tokens: required");
    expect(errorOf(() => parseOrThrow(messagesRequestSchema, { ...base, temperature: 1.5 })).param).toBe("temperature");
    expect(errorOf(() => parseOrThrow(messagesRequestSchema, { ...base, messages: [{ role: "user", content: 1 }] })).message).toBe(
      "messages[0].content: expected string or array of content blocks",
    );
    expect(errorOf(() => parseOrThrow(messagesRequestSchema, { ...base, tool_choice: { type: "tool" } })).message).toBe("tool_choice.name: required");
  });

  it("rejects a block without a string type", () => {
    const err = errorOf(() => parseOrThrow(messagesRequestSchema, { ...base, messages: [{ role: "user", content: [{ kind: "text" }] }] }));
    expect(err.param).toBe("messages[0].content[0].type");
  });
});

describe("countTokensRequestSchema", () => {
  it("does not require max_tokens", () => {
    expect(parseOrThrow(countTokensRequestSchema, { model: "m", messages: [{ role: "user", content: "x" }] }).model).toBe("m");
  });
});

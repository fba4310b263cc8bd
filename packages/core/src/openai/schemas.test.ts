import { describe, expect, it } from "vitest";
import { PortcullisError } from "../errors";
import { parseOrThrow } from "../parse-or-throw";
import { chatCompletionRequestSchema, embeddingRequestSchema, responsesRequestSchema } from "./schemas";

function errorOf(fn: () => unknown): PortcullisError {
  try {
    fn();
  } catch (e) {
    if (e instanceof PortcullisError) return e;
    throw e;
  }
  throw new Error("expected a PortcullisError");
}

const base = { model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] };

describe("chatCompletionRequestSchema", () => {
  it("accepts a full request and keeps unknown fields", () => {
    const body = {
      ...base,
      messages: [
        { role: "system", content: "be brief" },
        { role: "user", content: [{ type: "text", text: "look" }, { type: "image_url", image_url: { url: "https://x/y.png", detail: "low" } }] },
        { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "f", arguments: "{}" } }] },
        { role: "tool", tool_call_id: "call_1", content: "42" },
      ],
      stream: true,
      stream_options: { include_usage: false },
      tools: [{ type: "function", function: { name: "f", parameters: { type: "object" } } }],
      tool_choice: { type: "function", function: { name: "f" } },
      response_format: { type: "json_schema", json_schema: { name: "x", schema: {} } },
      service_tier: "flex",
    };
    const out = parseOrThrow(chatCompletionRequestSchema, body);
    expect(out.service_tier).toBe("flex");
    expect(out.messages).toHaveLength(4);
  });

  it("treats top-level and message-level nulls as unset but keeps content: null", () => {
    const out = parseOrThrow(chatCompletionRequestSchema, {
      ...base,
      stop: null,
      temperature: null,
      messages: [{ role: "assistant", content: null, name: null }],
    });
    expect("stop" in out).toBe(false);
    expect(out.messages[0]).toEqual({ role: "assistant", content: null });
  });

  it("defaults a missing assistant content to null", () => {
    const out = parseOrThrow(chatCompletionRequestSchema, { ...base, messages: [{ role: "assistant", tool_calls: [] }] });
    expect(out.messages[0]?.content).toBeNull();
  });

  it("names the exact field of a wrong content type", () => {
    const err = errorOf(() =>
      parseOrThrow(chatCompletionRequestSchema, {
        ...base,
        messages: [{ role: "user", content: "a" }, { role: "assistant", content: "b" }, { role: "user", content: 5 }],
      }),
    );
    expect(err.code).toBe("invalid_field");
    expect(err.status).toBe(400);
    expect(err.param).toBe("messages[2].content");
    expect(err.message).toBe("messages[2].content: expected string or array");
  });

  it("descends into the array branch for a bad part", () => {
    const err = errorOf(() =>
      parseOrThrow(chatCompletionRequestSchema, { ...base, messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: 7 } }] }] }),
    );
    expect(err.message).toBe("messages[0].content[0].image_url.url: expected string, received number");
  });

  it("reports an unsupported part or role by its tag", () => {
    const part = errorOf(() => parseOrThrow(chatCompletionRequestSchema, { ...base, messages: [{ role: "user", content: [{ type: "input_audio" }] }] }));
    expect(part.param).toBe("messages[0].content[0].type");
    expect(part.message).toBe('messages[0].content[0].type: unsupported type "input_audio"; expected one of text, image_url');
    const role = errorOf(() => parseOrThrow(chatCompletionRequestSchema, { ...base, messages: [{ role: "function", content: "x" }] }));
    expect(role.message).toMatch(/^messages\[0\]\.role: unsupported role "function"; expected one of system, developer, user, assistant, tool$/);
  });

  it("reports missing and mistyped scalars", () => {
    expect(errorOf(() => parseOrThrow(chatCompletionRequestSchema, { messages: base.messages })).message).toBe("model: required");
    expect(errorOf(() => parseOrThrow(chatCompletionRequestSchema, { ...base, max_tokens: 1.5 })).message).toBe(
      "max_tokens: expected int, received non-integer number",
    );
    expect(errorOf(() => parseOrThrow(chatCompletionRequestSchema, { ...base, stream: "yes" })).param).toBe("stream");
    expect(errorOf(() => parseOrThrow(chatCompletionRequestSchema, { ...base, temperature: 3 })).param).toBe("temperature");
    expect(errorOf(() => parseOrThrow(chatCompletionRequestSchema, { ...base, tool_choice: "sometimes" })).param).toBe("tool_choice");
    expect(errorOf(() => parseOrThrow(chatCompletionRequestSchema, { ...base, messages: [] })).param).toBe("messages");
    expect(errorOf(() => parseOrThrow(chatCompletionRequestSchema, { ...base, messages: [{ role: "tool", content: "x" }] })).message).toBe(
      "messages[0].tool_call_id: required",
    );
  });

  it("rejects a body that is not an object", () => {
    const err = errorOf(() => parseOrThrow(chatCompletionRequestSchema, [1, 2]));
    expect(err.code).toBe("invalid_field");
    expect(err.message).toBe("expected object, received array");
  });

  it("lists several issues in details", () => {
    const err = errorOf(() => parseOrThrow(chatCompletionRequestSchema, { model: 1, messages: "x" }));
    expect(err.details?.["issues"]).toEqual([
      { param: "model", message: "model: expected string, received number" },
      { param: "messages", message: "messages: expected array, received string" },
    ]);
  });
});

describe("embeddingRequestSchema", () => {
  it("accepts each documented input form", () => {
    for (const input of ["a", ["a", "b"], [1, 2], [[1], [2, 3]]]) {
      expect(parseOrThrow(embeddingRequestSchema, { model: "m", input }).input).toEqual(input);
    }
  });

  it("rejects a bad encoding_format and an empty input array", () => {
    expect(errorOf(() => parseOrThrow(embeddingRequestSchema, { model: "m", input: "a", encoding_format: "hex" })).param).toBe("encoding_format");
    expect(errorOf(() => parseOrThrow(embeddingRequestSchema, { model: "m", input: [] })).param).toBe("input");
  });
});

describe("responsesRequestSchema", () => {
  it("accepts string and item inputs and passes unknown fields", () => {
    const out = parseOrThrow(responsesRequestSchema, {
      model: "gpt-4.1",
      input: [{ role: "user", content: [{ type: "input_text", text: "hi" }] }, { type: "function_call_output", call_id: "c", output: "x" }],
      include: ["reasoning.encrypted_content"],
    });
    expect(out.include).toEqual(["reasoning.encrypted_content"]);
    expect(parseOrThrow(responsesRequestSchema, { model: "m", input: "hello" }).input).toBe("hello");
  });

  it("names the bad item field", () => {
    const err = errorOf(() => parseOrThrow(responsesRequestSchema, { model: "m", input: [{ role: "robot" }] }));
    expect(err.param).toBe("input[0].role");
  });
});

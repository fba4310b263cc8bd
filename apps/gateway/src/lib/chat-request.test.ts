import { describe, expect, it } from "vitest";
import { chatCompletionRequestSchema, parseOrThrow, type PortcullisError } from "@portcullis/core";
import { fastChatRequest, parseChatRequest } from "./chat-request";

/** What the schema alone makes of a body: its output, or the error it throws. */
function viaZod(body: Record<string, unknown>): unknown {
  try {
    return { ok: parseOrThrow(chatCompletionRequestSchema, body) };
  } catch (e) {
    const err = e as PortcullisError;
    return { code: err.code, message: err.message, param: err.param, details: err.details };
  }
}

function viaGateway(body: Record<string, unknown>): unknown {
  try {
    return { ok: parseChatRequest(body) };
  } catch (e) {
    const err = e as PortcullisError;
    return { code: err.code, message: err.message, param: err.param, details: err.details };
  }
}

/** Same output, key order included (the upstream body is serialized from it). */
function expectSame(body: Record<string, unknown>) {
  const a = viaGateway(structuredClone(body));
  const b = viaZod(structuredClone(body));
  expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  expect(a).toStrictEqual(b);
}

const user = (content: string) => ({ role: "user", content });

describe("chat request fast path", () => {
  it("takes the common shapes and returns what the schema returns", () => {
    const bodies: Array<Record<string, unknown>> = [
      { model: "gpt-4o", messages: [user("hi")] },
      { messages: [{ content: "sys", role: "system" }, user("hi")], model: "m", max_tokens: 64 },
      { model: "m", messages: [{ role: "developer", content: "d", name: "n" }, user("q"), { role: "assistant", content: null }, { role: "tool", content: "r", tool_call_id: "c1" }] },
      { model: "m", messages: [{ role: "assistant", content: "a", reasoning_content: "r", extra: { x: 1 }, gone: null }], stream: true, stream_options: { include_usage: true, more: 1 } },
      { zzz: 1, model: "m", aaa: [1, 2], messages: [user("x")], temperature: 0.7, top_p: 1, n: 2, stop: ["a", "b"], seed: -5, presence_penalty: -2, frequency_penalty: 2 },
      { model: "m", messages: [user("x")], user: "u", logprobs: true, top_logprobs: 0, parallel_tool_calls: false, reasoning_effort: "minimal", stop: "END" },
      { model: "m", messages: [user("x")], tools: null, metadata: null, max_completion_tokens: 5, unknown_null: null, stream_options: null },
    ];
    for (const body of bodies) {
      expect(fastChatRequest(structuredClone(body))).toBeDefined();
      expectSame(body);
    }
  });

  it("leaves everything else to the schema, errors included", () => {
    const bodies: Array<Record<string, unknown>> = [
      {}, { model: "" , messages: [user("x")] }, { model: "m", messages: [] }, { model: "m", messages: [{ role: "robot", content: "x" }] },
      { model: "m", messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }] },
      { model: "m", messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "u" } }] }] },
      { model: "m", messages: [{ role: "assistant" }] },
      { model: "m", messages: [{ role: "assistant", content: null, tool_calls: [{ id: "1", type: "function", function: { name: "f", arguments: "{}" } }] }] },
      { model: "m", messages: [{ role: "tool", content: "x" }] }, { model: "m", messages: [{ role: "user", content: null }] },
      { model: "m", messages: [{ role: "user", content: "x", name: null }] }, { model: "m", messages: [user("x")], max_tokens: 0 },
      { model: "m", messages: [user("x")], max_tokens: 1.5 }, { model: "m", messages: [user("x")], max_tokens: 2 ** 53 },
      { model: "m", messages: [user("x")], temperature: 2.5 }, { model: "m", messages: [user("x")], stop: ["a", "b", "c", "d", "e"] },
      { model: "m", messages: [user("x")], tools: [{ type: "function", function: { name: "f", strict: null } }] },
      { model: "m", messages: [user("x")], response_format: { type: "json_object" } }, { model: "m", messages: [user("x")], tool_choice: "auto" },
      { model: "m", messages: [user("x")], stream_options: { include_usage: null } }, { model: "m", messages: [user("x")], stream_options: [] },
      { model: "m", messages: [user("x")], reasoning_effort: "max" }, { model: "m", messages: [user("x")], metadata: { a: "b" } },
      { model: 5, messages: [user("x")] }, { model: "m", messages: "hi" }, { model: "m", messages: [user("x")], temperature: Infinity },
    ];
    for (const body of bodies) expectSame(body);
  });

  it("agrees with the schema at every parameter's boundaries", () => {
    const probes = [null, true, "1", [], {}, -(2 ** 53), -3, -2.5, -2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2, 2.5, 3, 19, 20, 20.5, 21, 127, 128, 129, 2 ** 53 - 1, 2 ** 53, Infinity];
    const keys = ["stream", "max_tokens", "max_completion_tokens", "temperature", "top_p", "n", "seed", "presence_penalty", "frequency_penalty", "logprobs", "top_logprobs",
      "user", "parallel_tool_calls", "reasoning_effort", "stop"];
    for (const k of keys) for (const v of probes) expectSame({ model: "m", messages: [user("x")], [k]: v });
  });

  it("agrees with the schema on thousands of random bodies", () => {
    let seed = 20261129;
    const r = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
    const values = [null, true, false, 0, 1, -1, 1.5, 2, 2.5, -2.5, 3, 20, 21, 64, 128, 129, 2 ** 53, -(2 ** 53), "", "x", "high", "max", [], ["a"], ["a", "b", "c", "d", "e"], {}, { include_usage: true }, { include_usage: "yes" }];
    const valid: Record<string, unknown[]> = {
      stream: [true, false], stream_options: [{ include_usage: true }, { include_usage: false, x: 1 }, {}], max_tokens: [1, 64, 2 ** 53 - 1],
      max_completion_tokens: [1, 4096], temperature: [0, 0.7, 2], top_p: [0, 1, 0.5], n: [1, 128], stop: ["END", [], ["a", "b", "c", "d"]],
      seed: [0, -3, 42], presence_penalty: [-2, 0, 2], frequency_penalty: [1.5], logprobs: [true], top_logprobs: [0, 20], user: ["u", ""],
      parallel_tool_calls: [false], reasoning_effort: ["minimal", "high"], metadata: [null], tools: [null], zz_unknown: [{ a: null }, 1, "s"], aa_unknown: [[1, null]],
    };
    const content = () => (r() < 0.7 ? pick(["hello", ""]) : pick<unknown>([null, 5, [{ type: "text", text: "t" }], [{ type: "image_url", image_url: { url: "u" } }], undefined]));
    const message = () => {
      const m: Record<string, unknown> = { role: r() < 0.8 ? pick(["system", "developer", "user", "assistant", "tool"]) : pick(["robot", 3, undefined]), content: content() };
      if (r() < 0.2) m.name = pick(["n", null, 1]);
      if (r() < 0.2) m.tool_call_id = pick(["c", null, 2]);
      if (r() < 0.1) m.reasoning_content = pick(["r", null]);
      if (r() < 0.1) m.tool_calls = pick([null, [], [{ id: "1", type: "function", function: { name: "f", arguments: "{}" } }]]);
      if (r() < 0.2) m[pick(["x_extra", "y_extra"])] = pick(values);
      return m;
    };
    const keys = ["stream", "stream_options", "max_tokens", "max_completion_tokens", "temperature", "top_p", "n", "stop", "seed", "presence_penalty",
      "frequency_penalty", "logprobs", "top_logprobs", "user", "parallel_tool_calls", "reasoning_effort", "metadata", "tools", "zz_unknown", "aa_unknown"];
    let fast = 0;
    for (let i = 0; i < 3000; i++) {
      const body: Record<string, unknown> = {};
      const order = [...keys].sort(() => r() - 0.5);
      if (r() < 0.5) body.model = pick<unknown>(["gpt-4o", "gpt-4o", "gpt-4o", "", null, 7]);
      for (const k of order.slice(0, Math.floor(r() * 5))) body[k] = r() < 0.75 ? pick(valid[k]!) : pick(values);
      body.messages = r() < 0.95 ? Array.from({ length: 1 + Math.floor(r() * 3) - (r() < 0.05 ? 1 : 0) }, message) : pick(values);
      if (r() < 0.5 && body.model === undefined) body.model = "gpt-4o";
      if (fastChatRequest(structuredClone(body))) fast++;
      expectSame(body);
    }
    // The run exercised the fast path, not only the fallback.
    expect(fast).toBeGreaterThan(150);
  });
});

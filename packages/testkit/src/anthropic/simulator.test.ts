import Anthropic, { APIError, AuthenticationError, BadRequestError, RateLimitError } from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SimulatorHandle } from "../shared/server";
import { simTokenCount } from "../shared/text";
import { startAnthropicSimulator } from "./simulator";

const MODEL = "claude-sonnet-5-5";
let sim: SimulatorHandle;
let client: Anthropic;
beforeAll(async () => {
  sim = await startAnthropicSimulator({ apiKey: "sk-ant-sim" });
  client = new Anthropic({ apiKey: "sk-ant-sim", baseURL: sim.url, maxRetries: 0 });
});
afterAll(() => sim.close());

const faulty = (fault: string) => ({ headers: { "x-sim-fault": fault } });
const user = (content: string) => [{ role: "user" as const, content }];

describe("Anthropic simulator with the official @anthropic-ai/sdk", () => {
  it("answers a message (Bearer auth, 2026-10-21) with exact usage", async () => {
    const msg = await client.messages.create({ model: MODEL, max_tokens: 100, system: "sys", messages: user("hello") });
    expect(msg.content).toEqual([{ type: "text", text: "Echo: hello" }]);
    expect(msg.stop_reason).toBe("end_turn");
    expect(msg.usage).toMatchObject({ input_tokens: simTokenCount("sys\nhello"), output_tokens: simTokenCount("Echo: hello"), cache_read_input_tokens: 0 });
    const rec = sim.requests.at(-1)!;
    expect([rec.headers["authorization"], rec.headers["anthropic-version"]]).toEqual(["Bearer sk-ant-sim", "2026-10-21"]);
  });

  it("accepts Claude Code's x-api-key with 2023-06-01, where temperature is allowed", async () => {
    const cc = new Anthropic({ apiKey: null, authToken: null, baseURL: sim.url, maxRetries: 0, defaultHeaders: { "x-api-key": "sk-ant-sim", "anthropic-version": "2023-06-01" } });
    // SDK 1.x types omit temperature because its API version rejects it; older clients still send it.
    const withTemperature = { model: MODEL, max_tokens: 10, temperature: 0.3, messages: user("hi") } as unknown as Anthropic.MessageCreateParamsNonStreaming;
    const msg = await cc.messages.create(withTemperature);
    expect(msg.content[0]).toEqual({ type: "text", text: "Echo: hi" });
    await expect(client.messages.create(withTemperature)).rejects.toBeInstanceOf(BadRequestError);
  });

  it("streams the documented event sequence that the SDK assembles", async () => {
    const types: string[] = [];
    const raw = await client.messages.create({ model: MODEL, max_tokens: 100, messages: user("a b c"), stream: true });
    for await (const ev of raw) types.push(ev.type);
    expect(types).toEqual([
      "message_start", "content_block_start",
      "content_block_delta", "content_block_delta", "content_block_delta", "content_block_delta",
      "content_block_stop", "message_delta", "message_stop",
    ]);
    const final = await client.messages.stream({ model: MODEL, max_tokens: 100, messages: user("a b c") }).finalMessage();
    expect(final.content).toEqual([{ type: "text", text: "Echo: a b c" }]);
    expect(final.usage.output_tokens).toBe(simTokenCount("Echo: a b c"));
  });

  it("uses tools, thinking and tool results", async () => {
    const tools: Anthropic.Tool[] = [{ name: "get_weather", description: "w", input_schema: { type: "object", properties: { input: { type: "string" } } } }];
    const stream = client.messages.stream({ model: MODEL, max_tokens: 5000, thinking: { type: "enabled", budget_tokens: 2000 }, tools, messages: user("Oslo") });
    const first = await stream.finalMessage();
    expect(first.content.map((b) => b.type)).toEqual(["thinking", "text", "tool_use"]);
    expect(first.content[0]).toMatchObject({ thinking: "Considering: Oslo", signature: expect.stringMatching(/^sig_sim_/) });
    const toolUse = first.content[2];
    expect(toolUse?.type === "tool_use" && toolUse.input).toEqual({ input: "Oslo" });
    expect(first.stop_reason).toBe("tool_use");
    const second = await client.messages.create({
      model: MODEL, max_tokens: 100, tools,
      messages: [...user("Oslo"), { role: "assistant", content: first.content }, { role: "user", content: [{ type: "tool_result", tool_use_id: toolUse!.type === "tool_use" ? toolUse!.id : "", content: "-3C" }] }],
    });
    expect(second.content).toEqual([{ type: "text", text: "Tool result: -3C" }]);
  });

  it("reports prompt-cache writes then reads, and counts tokens", async () => {
    const system: Anthropic.TextBlockParam[] = [{ type: "text", text: "x".repeat(400), cache_control: { type: "ephemeral" } }];
    const a = await client.messages.create({ model: MODEL, max_tokens: 10, system, messages: user("q1") });
    const b = await client.messages.create({ model: MODEL, max_tokens: 10, system, messages: user("q2") });
    expect([a.usage.cache_creation_input_tokens, a.usage.cache_read_input_tokens]).toEqual([100, 0]);
    expect([b.usage.cache_creation_input_tokens, b.usage.cache_read_input_tokens, b.usage.input_tokens]).toEqual([0, 100, 1]);
    const count = await client.messages.countTokens({ model: MODEL, system, messages: user("q1") });
    expect(count.input_tokens).toBe(simTokenCount(`${"x".repeat(400)}\nq1`));
  });

  it("applies stop sequences and max_tokens", async () => {
    const stopped = await client.messages.create({ model: MODEL, max_tokens: 100, stop_sequences: ["lo"], messages: user("hello") });
    expect([stopped.content[0], stopped.stop_reason, stopped.stop_sequence]).toEqual([{ type: "text", text: "Echo: hel" }, "stop_sequence", "lo"]);
    const cut = await client.messages.create({ model: MODEL, max_tokens: 1, messages: user("hello") });
    expect([cut.content[0], cut.stop_reason]).toEqual([{ type: "text", text: "Echo" }, "max_tokens"]);
  });

  it("answers errors as {type:error, error:{type,message}}", async () => {
    await expect(new Anthropic({ apiKey: "bad", baseURL: sim.url, maxRetries: 0 }).messages.create({ model: MODEL, max_tokens: 1, messages: user("x") })).rejects.toBeInstanceOf(AuthenticationError);
    const overloaded = await client.messages.create({ model: MODEL, max_tokens: 1, messages: user("x") }, faulty("529")).catch((e: unknown) => e);
    expect(overloaded).toBeInstanceOf(APIError);
    expect([(overloaded as APIError).status, (overloaded as APIError).error]).toEqual([529, { type: "error", error: { type: "overloaded_error", message: "Overloaded" } }]);
    const limited = await client.messages.create({ model: MODEL, max_tokens: 1, messages: user("x") }, faulty("status=429,retry-after=5")).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(RateLimitError);
    expect((limited as RateLimitError).headers?.get("retry-after")).toBe("5");
    const noVersion = await fetch(`${sim.url}/v1/messages`, { method: "POST", headers: { "x-api-key": "sk-ant-sim" }, body: "{}" });
    expect([noVersion.status, await noVersion.json()]).toEqual([400, { type: "error", error: { type: "invalid_request_error", message: "anthropic-version: header is required" }, request_id: expect.stringMatching(/^req_sim_/) }]);
    await expect(client.messages.create({ model: MODEL, messages: user("x") } as unknown as Anthropic.MessageCreateParamsNonStreaming)).rejects.toThrow(/max_tokens: Field required/);
  });

  it("injects stream faults: in-band error, disconnect, missing message_stop", async () => {
    const run = async (fault: string) => {
      const s = await client.messages.create({ model: MODEL, max_tokens: 100, messages: user("a b c d"), stream: true }, faulty(fault));
      const types: string[] = [];
      for await (const ev of s) types.push(ev.type);
      return types;
    };
    await expect(run("stream-error=2")).rejects.toMatchObject({ error: { type: "error", error: { type: "overloaded_error" } } });
    await expect(run("disconnect=3")).rejects.toThrow();
    expect((await run("no-terminal")).at(-1)).toBe("message_delta");
  });
});

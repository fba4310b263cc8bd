import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chatModels, startSimFleet, type SimFleet } from "./fleet";

let fleet: SimFleet;
/** The 1.x SDK: `Authorization: Bearer` and anthropic-version 2026-10-21. */
let sdk: Anthropic;
/** Claude Code and older clients: `x-api-key` and anthropic-version 2023-06-01. */
let legacy: Anthropic;

beforeAll(async () => {
  fleet = await startSimFleet();
  sdk = new Anthropic({ apiKey: fleet.key, baseURL: fleet.gateway.url, maxRetries: 0 });
  legacy = new Anthropic({ apiKey: fleet.key, baseURL: fleet.gateway.url, maxRetries: 0, defaultHeaders: { "anthropic-version": "2023-06-01" } });
});
afterAll(async () => fleet?.close());

const weather: Anthropic.Tool = {
  name: "get_weather", description: "Weather for a city",
  input_schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
};

describe.each(Object.entries(chatModels))("official @anthropic-ai/sdk -> gateway -> %s simulator", (sim, model) => {
  it("creates a message (natively to Anthropic, translated elsewhere)", async () => {
    const { data, response } = await sdk.messages.create({ model, max_tokens: 64, system: "Be brief.", messages: [{ role: "user", content: "Say hello" }] }).withResponse();
    expect(data.type).toBe("message");
    expect(data.role).toBe("assistant");
    const text = data.content.find((b) => b.type === "text");
    expect(text && text.type === "text" && text.text.length).toBeGreaterThan(0);
    expect(data.stop_reason).toBe("end_turn");
    expect(data.usage.input_tokens).toBeGreaterThan(0);
    expect(data.usage.output_tokens).toBeGreaterThan(0);
    expect(response.headers.get("x-portcullis-provider")).toBe(model.split("/")[0]);
    if (sim === "anthropic") expect(fleet.sims.anthropic.requests.at(-1)!.headers["anthropic-version"]).toBeDefined();
  });

  it("streams message events to message_stop", async () => {
    const stream = legacy.messages.stream({ model, max_tokens: 64, messages: [{ role: "user", content: "Stream a short story" }] });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    const final = await stream.finalMessage();
    expect(types[0]).toBe("message_start");
    expect(types.at(-1)).toBe("message_stop");
    expect(types).toContain("content_block_delta");
    expect(final.content.some((b) => b.type === "text" && b.text.length > 0)).toBe(true);
    expect(final.usage.output_tokens).toBeGreaterThan(0);
  });

  it("uses tools and takes tool results", async () => {
    const first = await sdk.messages.create({
      model, max_tokens: 128, tools: [weather], tool_choice: { type: "tool", name: "get_weather" },
      messages: [{ role: "user", content: "Weather in Paris?" }],
    });
    expect(first.stop_reason).toBe("tool_use");
    const use = first.content.find((b): b is Anthropic.ToolUseBlock => b.type === "tool_use");
    expect(use?.name).toBe("get_weather");
    const second = await sdk.messages.create({
      model, max_tokens: 128, tools: [weather],
      messages: [
        { role: "user", content: "Weather in Paris?" },
        { role: "assistant", content: first.content },
        { role: "user", content: [{ type: "tool_result", tool_use_id: use!.id, content: "21 C and sunny" }] },
      ],
    });
    expect(second.content.some((b) => b.type === "text")).toBe(true);
  });

  it("counts tokens", async () => {
    const r = await sdk.messages.countTokens({ model, messages: [{ role: "user", content: "How many tokens is this?" }] });
    expect(r.input_tokens).toBeGreaterThan(0);
  });
});

describe("errors through the official @anthropic-ai/sdk", () => {
  it("unknown model -> 404 NotFoundError in Anthropic's shape", async () => {
    const err = await sdk.messages.create({ model: "claude/claude-nope", max_tokens: 8, messages: [{ role: "user", content: "x" }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.NotFoundError);
    expect((err as InstanceType<typeof Anthropic.NotFoundError>).error).toMatchObject({ type: "error", error: { type: "not_found_error" } });
  });
  it("an upstream 529 overloaded becomes 503 in Anthropic's shape with the upstream type kept", async () => {
    fleet.sims.anthropic.setFaults({ status: 529, times: 1 });
    const err = await sdk.messages.create({ model: chatModels.anthropic, max_tokens: 8, messages: [{ role: "user", content: "x" }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.APIError);
    expect((err as InstanceType<typeof Anthropic.APIError>).status).toBe(503);
    expect((err as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({ error: { type: "overloaded_error" } });
  });
  it("missing key -> 401 AuthenticationError", async () => {
    const res = await fetch(`${fleet.gateway.url}/v1/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ type: "error", error: { type: "authentication_error", code: "unauthenticated" } });
  });
});

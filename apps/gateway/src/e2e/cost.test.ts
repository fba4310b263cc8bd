import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chatModels, startSimFleet, type SimFleet } from "./fleet";

/**
 * Cost correctness through the whole path: for every provider a streamed call costs
 * exactly what the same non-streamed call costs, and prompt-cache reads and writes
 * are counted and priced as such.
 */
let fleet: SimFleet;
let openai: OpenAI;
let anthropic: Anthropic;

beforeAll(async () => {
  fleet = await startSimFleet();
  openai = new OpenAI({ apiKey: fleet.key, baseURL: `${fleet.gateway.url}/v1`, maxRetries: 0 });
  anthropic = new Anthropic({ apiKey: fleet.key, baseURL: fleet.gateway.url, maxRetries: 0 });
});
afterAll(async () => fleet?.close());

const last = () => fleet.gateway.sink.requests.at(-1)!;

describe.each(Object.entries(chatModels))("%s", (_sim, model) => {
  it("a streamed call is billed exactly like the same call not streamed", async () => {
    const messages = [{ role: "user" as const, content: "Explain toll gates in one short paragraph." }];
    await openai.chat.completions.create({ model, messages, max_tokens: 40 });
    const plain = last();
    const stream = await openai.chat.completions.create({ model, messages, max_tokens: 40, stream: true });
    for await (const _ of stream) void _;
    const streamed = last();
    expect(plain.outcome).toBe("success");
    expect(streamed.outcome).toBe("success");
    expect(streamed.stream).toBe(true);
    expect(plain.outputTokens).toBeGreaterThan(0);
    expect(plain.costMicros).toBeGreaterThan(0);
    expect({ in: streamed.inputTokens, out: streamed.outputTokens, cost: streamed.costMicros }).toEqual({ in: plain.inputTokens, out: plain.outputTokens, cost: plain.costMicros });
  });
});

describe("prompt caching (Anthropic)", () => {
  const system: Anthropic.TextBlockParam[] = [{ type: "text", text: "You are a meticulous assistant. ".repeat(60), cache_control: { type: "ephemeral" } }];
  it("counts the cache write, then the cheaper cache read, streamed or not", async () => {
    await anthropic.messages.create({ model: chatModels.anthropic, max_tokens: 30, system, messages: [{ role: "user", content: "hello" }] });
    const write = last();
    expect(write.cachedWriteTokens).toBeGreaterThan(0);
    expect(write.cachedReadTokens).toBe(0);
    await anthropic.messages.create({ model: chatModels.anthropic, max_tokens: 30, system, messages: [{ role: "user", content: "hello" }] });
    const read = last();
    expect(read.cachedReadTokens).toBe(write.cachedWriteTokens);
    expect(read.cachedWriteTokens).toBe(0);
    expect(read.costMicros).toBeLessThan(write.costMicros);
    const stream = anthropic.messages.stream({ model: chatModels.anthropic, max_tokens: 30, system, messages: [{ role: "user", content: "hello" }] });
    await stream.finalMessage();
    const streamedRead = last();
    expect({ r: streamedRead.cachedReadTokens, i: streamedRead.inputTokens, o: streamedRead.outputTokens, c: streamedRead.costMicros })
      .toEqual({ r: read.cachedReadTokens, i: read.inputTokens, o: read.outputTokens, c: read.costMicros });
  });

  it("carries cached tokens through translation to an OpenAI client", async () => {
    const res = await openai.chat.completions.create({
      model: chatModels.anthropic, max_tokens: 30,
      messages: [{ role: "system", content: "You are a meticulous assistant. ".repeat(60) }, { role: "user", content: "hello" }],
    });
    expect(res.usage!.prompt_tokens).toBeGreaterThanOrEqual(last().inputTokens);
  });
});

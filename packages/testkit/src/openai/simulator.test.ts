import OpenAI, { AuthenticationError, BadRequestError, InternalServerError, RateLimitError } from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SimulatorHandle } from "../shared/server";
import { simEmbedding, simTokenCount } from "../shared/text";
import { startOpenAiSimulator } from "./simulator";

let sim: SimulatorHandle;
let client: OpenAI;
beforeAll(async () => {
  sim = await startOpenAiSimulator({ apiKey: "sk-sim" });
  client = new OpenAI({ apiKey: "sk-sim", baseURL: `${sim.url}/v1`, maxRetries: 0 });
});
afterAll(() => sim.close());

const faulty = (fault: string) => ({ headers: { "x-sim-fault": fault } });

describe("OpenAI simulator with the official openai SDK", () => {
  it("answers a plain completion with exact usage", async () => {
    const res = await client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "system", content: "be nice" }, { role: "user", content: "hello world" }] });
    expect(res.choices[0]?.message.content).toBe("Echo: hello world");
    expect(res.choices[0]?.finish_reason).toBe("stop");
    expect(res.usage).toMatchObject({
      prompt_tokens: simTokenCount("be nice\nhello world"),
      completion_tokens: simTokenCount("Echo: hello world"),
      total_tokens: simTokenCount("be nice\nhello world") + simTokenCount("Echo: hello world"),
    });
    expect(sim.requests.at(-1)?.headers["authorization"]).toBe("Bearer sk-sim");
  });

  it("streams word by word with the include_usage chunk and [DONE]", async () => {
    const stream = await client.chat.completions.create({
      model: "gpt-4o-mini", messages: [{ role: "user", content: "one two" }], stream: true, stream_options: { include_usage: true },
    });
    const pieces: string[] = [];
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content) pieces.push(chunk.choices[0].delta.content);
      if (chunk.usage) usage = chunk.usage;
    }
    expect(pieces).toEqual(["Echo: ", "one ", "two"]);
    expect(usage?.total_tokens).toBe(simTokenCount("one two") + simTokenCount("Echo: one two"));
  });

  it("calls a tool, then answers from the tool result", async () => {
    const tools: OpenAI.ChatCompletionTool[] = [{ type: "function", function: { name: "get_weather", parameters: { type: "object", properties: { input: { type: "string" } } } } }];
    const first = await client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "Paris" }], tools });
    const call = first.choices[0]?.message.tool_calls?.[0];
    expect(first.choices[0]?.finish_reason).toBe("tool_calls");
    expect(call?.type === "function" && [call.function.name, call.function.arguments]).toEqual(["get_weather", '{"input":"Paris"}']);
    const second = await client.chat.completions.create({
      model: "gpt-4o", tools,
      messages: [{ role: "user", content: "Paris" }, first.choices[0]!.message, { role: "tool", tool_call_id: call!.id, content: "18C" }],
    });
    expect(second.choices[0]?.message.content).toBe("Tool result: 18C");
    const streamed = client.chat.completions.stream({ model: "gpt-4o", messages: [{ role: "user", content: "Rome" }], tools });
    const final = await streamed.finalChatCompletion();
    const streamedCall = final.choices[0]?.message.tool_calls?.[0];
    expect(streamedCall?.type === "function" && streamedCall.function.arguments).toBe('{"input":"Rome"}');
  });

  it("returns embeddings the SDK decodes from base64, and floats on request", async () => {
    const res = await client.embeddings.create({ model: "text-embedding-3-small", input: ["alpha", "beta"], dimensions: 8 });
    expect(sim.requests.at(-1)?.body).toMatchObject({ encoding_format: "base64" });
    expect(res.data.map((d) => d.embedding)).toEqual([simEmbedding("alpha", 8), simEmbedding("beta", 8)]);
    expect(res.usage).toEqual({ prompt_tokens: simTokenCount("alpha") + simTokenCount("beta"), total_tokens: 3 });
    const floats = await client.embeddings.create({ model: "text-embedding-3-large", input: "alpha", encoding_format: "float" });
    expect(floats.data[0]?.embedding).toHaveLength(3072);
  });

  it("lists models and serves the Responses API, plain and streaming", async () => {
    const models = [];
    for await (const m of client.models.list()) models.push(m.id);
    expect(models).toContain("gpt-4o-mini");
    const res = await client.responses.create({ model: "gpt-4.1", input: "hi there" });
    expect(res.output_text).toBe("Echo: hi there");
    const types: string[] = [];
    let text = "";
    for await (const ev of await client.responses.create({ model: "gpt-4.1", input: "hi", stream: true })) {
      types.push(ev.type);
      if (ev.type === "response.output_text.delta") text += ev.delta;
    }
    expect(text).toBe("Echo: hi");
    expect(types[0]).toBe("response.created");
    expect(types.at(-1)).toBe("response.completed");
  });

  it("raises the SDK's typed errors", async () => {
    const bad = new OpenAI({ apiKey: "nope", baseURL: `${sim.url}/v1`, maxRetries: 0 });
    await expect(bad.chat.completions.create({ model: "m", messages: [{ role: "user", content: "x" }] })).rejects.toBeInstanceOf(AuthenticationError);
    const limited = await client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "x" }] }, faulty("status=429,retry-after=7")).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(RateLimitError);
    expect((limited as RateLimitError).headers?.get("retry-after")).toBe("7");
    await expect(client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "x" }] }, faulty("500"))).rejects.toBeInstanceOf(InternalServerError);
    await expect(client.chat.completions.create({ model: "m", messages: [] })).rejects.toBeInstanceOf(BadRequestError);
  });

  it("injects stream faults: disconnect and malformed data fail, a missing [DONE] ends quietly", async () => {
    const collect = async (fault: string) => {
      const s = await client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "a b c d" }], stream: true }, faulty(fault));
      let text = "";
      for await (const c of s) text += c.choices[0]?.delta.content ?? "";
      return text;
    };
    await expect(collect("disconnect=2")).rejects.toThrow();
    await expect(collect("malformed=1")).rejects.toThrow();
    expect(await collect("no-terminal")).toBe("Echo: a b c d");
  });

  it("honours latency and records every request", async () => {
    const before = sim.requests.length;
    const t0 = Date.now();
    await client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "x" }] }, faulty("latency=120"));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(110);
    expect(sim.requests.length).toBe(before + 1);
  });
});

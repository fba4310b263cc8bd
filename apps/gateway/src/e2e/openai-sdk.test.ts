import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chatModels, embeddingModels, startSimFleet, type SimFleet } from "./fleet";

let fleet: SimFleet;
let client: OpenAI;

beforeAll(async () => {
  fleet = await startSimFleet();
  client = new OpenAI({ apiKey: fleet.key, baseURL: `${fleet.gateway.url}/v1`, maxRetries: 0 });
});
afterAll(async () => fleet?.close());

const weatherTool = {
  type: "function" as const,
  function: { name: "get_weather", description: "Weather for a city", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } },
};

describe.each(Object.entries(chatModels))("official openai SDK -> gateway -> %s simulator", (sim, model) => {
  it("completes a chat and reports usage and what served it", async () => {
    const { data, response } = await client.chat.completions.create({ model, messages: [{ role: "user", content: "Say hello to Portcullis" }], max_tokens: 64 }).withResponse();
    expect(data.object).toBe("chat.completion");
    expect(data.choices[0]!.message.role).toBe("assistant");
    expect(typeof data.choices[0]!.message.content).toBe("string");
    expect(data.choices[0]!.message.content!.length).toBeGreaterThan(0);
    expect(data.usage!.prompt_tokens).toBeGreaterThan(0);
    expect(data.usage!.completion_tokens).toBeGreaterThan(0);
    expect(response.headers.get("x-portcullis-provider")).toBe(model.split("/")[0]);
    expect(response.headers.get("x-request-id")).toMatch(/^req_/);
  });

  it("streams chunks and ends cleanly; usage only when asked for", async () => {
    const stream = await client.chat.completions.create({ model, messages: [{ role: "user", content: "Stream a short story" }], stream: true, max_tokens: 64 });
    let text = "";
    let usageChunks = 0;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      if (chunk.usage) usageChunks++;
    }
    expect(text.length).toBeGreaterThan(0);
    expect(usageChunks).toBe(0);
    const withUsage = await client.chat.completions.create({ model, messages: [{ role: "user", content: "Stream again" }], stream: true, stream_options: { include_usage: true } });
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of withUsage) if (chunk.usage) usage = chunk.usage;
    expect(usage!.completion_tokens).toBeGreaterThan(0);
    // The gateway's request log counts a streamed call's tokens even when the client did not ask.
    const logged = fleet.gateway.sink.requests.filter((r) => r.stream && r.modelRequested === model);
    expect(logged.length).toBeGreaterThanOrEqual(2);
    for (const r of logged) {
      expect(r.outcome).toBe("success");
      expect(r.outputTokens).toBeGreaterThan(0);
    }
  });

  it("calls tools and accepts tool results", async () => {
    const first = await client.chat.completions.create({
      model, tools: [weatherTool], tool_choice: { type: "function", function: { name: "get_weather" } },
      messages: [{ role: "user", content: "What is the weather in Paris?" }],
    });
    const call = first.choices[0]!.message.tool_calls?.[0];
    expect(call?.type).toBe("function");
    if (call?.type !== "function") throw new Error("no function call");
    expect(call.function.name).toBe("get_weather");
    expect(() => JSON.parse(call.function.arguments)).not.toThrow();
    expect(first.choices[0]!.finish_reason).toBe("tool_calls");
    const second = await client.chat.completions.create({
      model, tools: [weatherTool],
      messages: [
        { role: "user", content: "What is the weather in Paris?" },
        { role: "assistant", content: null, tool_calls: [call] },
        { role: "tool", tool_call_id: call.id, content: JSON.stringify({ city: "Paris", celsius: 21 }) },
      ],
    });
    expect(second.choices[0]!.message.content?.length).toBeGreaterThan(0);
  });
});

describe.each(Object.entries(embeddingModels))("official openai SDK embeddings -> %s simulator", (_sim, model) => {
  it("returns vectors (the SDK asks for base64 and decodes it)", async () => {
    // Titan on Bedrock embeds one text per call; the others take a batch.
    const input = model.includes("titan") ? ["first text"] : ["first text", "second text"];
    const res = await client.embeddings.create({ model, input });
    expect(res.data).toHaveLength(input.length);
    expect(res.data[0]!.embedding.length).toBeGreaterThan(0);
    expect(typeof res.data[0]!.embedding[0]).toBe("number");
  });
});

describe("errors through the official openai SDK", () => {
  it("unknown model -> 404 NotFoundError naming the model", async () => {
    const err = await client.chat.completions.create({ model: "oai/gpt-nope", messages: [{ role: "user", content: "x" }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    expect((err as InstanceType<typeof OpenAI.NotFoundError>).message).toContain("gpt-nope");
  });
  it("bad key -> 401 AuthenticationError", async () => {
    const bad = new OpenAI({ apiKey: "pck_wrongWrongWrongWrongWrongWrongWrong00", baseURL: `${fleet.gateway.url}/v1`, maxRetries: 0 });
    await expect(bad.chat.completions.create({ model: chatModels.openai, messages: [{ role: "user", content: "x" }] })).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  });
  it("an upstream 429 keeps its status and retry-after", async () => {
    fleet.sims.openai.setFaults({ status: 429, retryAfter: 7, times: 1 });
    const err = await client.chat.completions.create({ model: chatModels.openai, messages: [{ role: "user", content: "x" }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    expect((err as InstanceType<typeof OpenAI.RateLimitError>).headers.get("retry-after")).toBe("7");
  });
  it("a field of the wrong type -> 400 naming the field", async () => {
    const err = await client.chat.completions.create({ model: chatModels.openai, messages: [{ role: "user", content: 42 as unknown as string }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as InstanceType<typeof OpenAI.BadRequestError>).message).toContain("messages[0].content");
  });
});

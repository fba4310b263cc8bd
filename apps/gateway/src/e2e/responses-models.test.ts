import OpenAI from "openai";
import { generateVirtualKey, hashVirtualKey } from "@portcullis/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testPepper } from "../testing/harness";
import { chatModels, startSimFleet, type SimFleet } from "./fleet";

let fleet: SimFleet;
let client: OpenAI;

beforeAll(async () => {
  fleet = await startSimFleet();
  client = new OpenAI({ apiKey: fleet.key, baseURL: `${fleet.gateway.url}/v1`, maxRetries: 0 });
});
afterAll(async () => fleet?.close());

describe("POST /v1/responses (OpenAI-family upstreams)", () => {
  it("passes a Responses call through and bills its usage", async () => {
    const r = await client.responses.create({ model: chatModels.openai, input: "Say hello" });
    expect(r.object).toBe("response");
    expect(r.output_text.length).toBeGreaterThan(0);
    const log = fleet.gateway.sink.requests.filter((x) => x.endpoint === "responses").at(-1)!;
    expect(log).toMatchObject({ outcome: "success", provider: "oai" });
    expect(log.outputTokens).toBeGreaterThan(0);
  });
  it("streams Responses events to response.completed", async () => {
    const stream = await client.responses.create({ model: chatModels.openai, input: "Stream hello", stream: true });
    const types: string[] = [];
    for await (const e of stream) types.push(e.type);
    expect(types.at(-1)).toBe("response.completed");
    const log = fleet.gateway.sink.requests.filter((x) => x.endpoint === "responses").at(-1)!;
    expect(log.outcome).toBe("success");
    expect(log.outputTokens).toBeGreaterThan(0);
  });
  it("refuses a provider without the Responses API, naming it", async () => {
    const err = await client.responses.create({ model: chatModels.anthropic, input: "x" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as Error).message).toContain("does not serve the Responses API");
  });
});

describe("GET /v1/models", () => {
  it("lists only what the key may use", async () => {
    const narrow = generateVirtualKey();
    const snapshot = fleet.gateway.services.config.current()!;
    fleet.gateway.setSnapshot({
      ...snapshot,
      keys: {
        ...snapshot.keys,
        [hashVirtualKey(testPepper, narrow)]: {
          ...Object.values(snapshot.keys)[0]!, id: "vk_narrow", name: "narrow", allowedProviders: ["oai", "claude"], allowedModels: ["oai/gpt-4o*", "claude/*"],
        },
      },
    });
    const all = await client.models.list();
    expect(all.data.map((m) => m.id)).toEqual(expect.arrayContaining([chatModels.openai, chatModels.bedrock, chatModels.vertex]));
    const limited = new OpenAI({ apiKey: narrow, baseURL: `${fleet.gateway.url}/v1`, maxRetries: 0 });
    expect((await limited.models.list()).data.map((m) => m.id).sort()).toEqual([chatModels.anthropic, chatModels.openai].sort());
  });
});

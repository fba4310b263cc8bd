import { AuthenticationError, AzureOpenAI, NotFoundError } from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SimulatorHandle } from "../shared/server";
import { startAzureOpenAiSimulator } from "./simulator";

let sim: SimulatorHandle;
beforeAll(async () => {
  sim = await startAzureOpenAiSimulator({ apiKey: "az-key", entraToken: "entra", deployments: { "chat-prod": "gpt-4o", "embed-prod": "text-embedding-3-small" } });
});
afterAll(() => sim.close());

const azure = (opts: Partial<ConstructorParameters<typeof AzureOpenAI>[0]> = {}) =>
  new AzureOpenAI({ endpoint: sim.url, apiKey: "az-key", apiVersion: "2024-10-21", maxRetries: 0, ...opts });

describe("Azure OpenAI simulator with the official AzureOpenAI client", () => {
  it("serves chat on the deployment path with api-key auth and content-filter annotations", async () => {
    const res = await azure({ deployment: "chat-prod" }).chat.completions.create({ model: "ignored", messages: [{ role: "user", content: "hi" }] });
    expect(res.choices[0]?.message.content).toBe("Echo: hi");
    expect(res.model).toBe("gpt-4o");
    expect((res as unknown as { prompt_filter_results: unknown[] }).prompt_filter_results).toHaveLength(1);
    const rec = sim.requests.at(-1)!;
    expect(`${rec.path}?${rec.query.toString()}`).toBe("/openai/deployments/chat-prod/chat/completions?api-version=2024-10-21");
    expect(rec.headers["api-key"]).toBe("az-key");
  });

  it("streams with an Entra token, opening with the prompt-filter chunk", async () => {
    const client = azure({ apiKey: undefined, azureADTokenProvider: async () => "entra", deployment: "chat-prod" });
    const stream = await client.chat.completions.create({ model: "x", messages: [{ role: "user", content: "a b" }], stream: true });
    const chunks = [];
    for await (const c of stream) chunks.push(c);
    expect(chunks[0]?.choices).toEqual([]);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? "").join("")).toBe("Echo: a b");
    expect(sim.requests.at(-1)?.headers["authorization"]).toBe("Bearer entra");
  });

  it("embeds through a deployment", async () => {
    const res = await azure({ deployment: "embed-prod" }).embeddings.create({ model: "x", input: "hello", dimensions: 3 });
    expect(res.data[0]?.embedding).toHaveLength(3);
  });

  it("answers auth and deployment errors in Azure's shape", async () => {
    await expect(azure({ apiKey: "wrong", deployment: "chat-prod" }).chat.completions.create({ model: "x", messages: [{ role: "user", content: "x" }] })).rejects.toBeInstanceOf(AuthenticationError);
    const missing = await azure({ deployment: "nope" }).chat.completions.create({ model: "x", messages: [{ role: "user", content: "x" }] }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NotFoundError);
    expect((missing as NotFoundError).code).toBe("DeploymentNotFound");
  });

  it("requires api-version: 404 when absent, 400 when unsupported", async () => {
    const post = (query: string) =>
      fetch(`${sim.url}/openai/deployments/chat-prod/chat/completions${query}`, {
        method: "POST", headers: { "api-key": "az-key", "content-type": "application/json" }, body: JSON.stringify({ messages: [{ role: "user", content: "x" }] }),
      });
    const absent = await post("");
    expect([absent.status, await absent.json()]).toEqual([404, { error: { code: "404", message: "Resource not found" } }]);
    const old = await post("?api-version=2019-01-01");
    expect([old.status, await old.json()]).toEqual([400, { error: { code: "BadRequest", message: "API version not supported" } }]);
  });

  it("sends retry-after and retry-after-ms with a 429", async () => {
    const res = await fetch(`${sim.url}/openai/deployments/chat-prod/chat/completions?api-version=2024-10-21`, {
      method: "POST", headers: { "api-key": "az-key", "x-sim-fault": "status=429,retry-after=3" }, body: "{}",
    });
    expect([res.status, res.headers.get("retry-after"), res.headers.get("retry-after-ms")]).toEqual([429, "3", "3000"]);
  });
});

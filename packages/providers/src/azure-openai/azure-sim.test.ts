import { startAzureOpenAiSimulator } from "@portcullis/testkit/azure-openai";
import type { SimulatorHandle } from "@portcullis/testkit/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chatOnce, chatStream, textOf } from "../transport/test-exchange";
import type { Target } from "../types";
import { azureOpenAiAdapter } from "./index";

let sim: SimulatorHandle;
let target: Target;
beforeAll(async () => {
  sim = await startAzureOpenAiSimulator({ apiKey: "az-key", entraToken: "entra-token", deployments: { "chat-prod": "gpt-4o" } });
  target = { provider: "azure-openai", baseUrl: sim.url, model: "chat-prod", credentials: { kind: "api-key", apiKey: "az-key" } };
});
afterAll(() => sim.close());

const ask = { model: "gpt-4o", messages: [{ role: "user" as const, content: "hi azure" }] };

describe("Azure OpenAI adapter against the simulator", () => {
  it("calls the deployment path with api-version and api-key", async () => {
    const r = await chatOnce(azureOpenAiAdapter, ask, target);
    expect(r.ok && r.response.choices[0]?.message.content).toBe("Echo: hi azure");
    const rec = sim.requests.at(-1)!;
    expect(rec.path).toBe("/openai/deployments/chat-prod/chat/completions");
    expect(rec.query.get("api-version")).toBe("2024-10-21");
    expect(rec.headers["api-key"]).toBe("az-key");
  });

  it("streams past Azure's prompt-filter preamble chunk", async () => {
    const r = await chatStream(azureOpenAiAdapter, ask, { ...target, credentials: { kind: "bearer", token: "entra-token" } });
    expect(r.complete).toBe(true);
    expect(textOf(r.chunks)).toBe("Echo: hi azure");
    expect(r.chunks[0]?.choices[0]?.delta.role).toBe("assistant");
    expect(r.usage?.total_tokens).toBe(2 + 4);
  });

  it("reports Azure's documented errors", async () => {
    const missing = await chatOnce(azureOpenAiAdapter, ask, { ...target, model: "nope" });
    expect(missing).toEqual({ ok: false, error: expect.objectContaining({ status: 404, type: "DeploymentNotFound" }) });
    const version = await chatOnce(azureOpenAiAdapter, ask, { ...target, apiVersion: "2019-01-01" });
    expect(version).toEqual({ ok: false, error: expect.objectContaining({ status: 400, message: "API version not supported" }) });
    const key = await chatOnce(azureOpenAiAdapter, ask, { ...target, credentials: { kind: "api-key", apiKey: "bad" } });
    expect(key).toEqual({ ok: false, error: expect.objectContaining({ status: 401, code: "401" }) });
    sim.setFaults({ status: 429, retryAfter: 2, times: 1 });
    const limited = await chatOnce(azureOpenAiAdapter, ask, target);
    expect(limited).toEqual({ ok: false, error: expect.objectContaining({ status: 429, retryAfterSeconds: 2 }) });
  });

  it("speaks the v1 API with the deployment as model", async () => {
    const r = await chatOnce(azureOpenAiAdapter, ask, { ...target, apiVersion: "v1" });
    expect(r.ok && r.response.model).toBe("gpt-4o");
    expect(sim.requests.at(-1)?.path).toBe("/openai/v1/chat/completions");
  });
});

import { describe, expect, it } from "vitest";
import type { Target } from "../types";
import { azureOpenAiAdapter, azureOpenAiUrl } from "./index";

const ctx = { now: new Date(0), requestId: "r" };
const target: Target = {
  provider: "azure-openai", baseUrl: "https://contoso.openai.azure.com/", model: "gpt4o-prod", credentials: { kind: "api-key", apiKey: "azkey" },
};

describe("Azure OpenAI", () => {
  it("addresses the deployment with the default api-version and the api-key header", () => {
    const up = azureOpenAiAdapter.chat.buildChatRequest({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }], stream: true }, target, ctx);
    expect(up.url).toBe("https://contoso.openai.azure.com/openai/deployments/gpt4o-prod/chat/completions?api-version=2024-10-21");
    expect(up.headers["api-key"]).toBe("azkey");
    expect(up.headers["authorization"]).toBeUndefined();
    expect(JSON.parse(String(up.body))["stream_options"]).toEqual({ include_usage: true });
  });

  it("uses an Entra token as Bearer, a configured api-version, and tolerates a /openai suffix", () => {
    const t: Target = { ...target, baseUrl: "https://contoso.openai.azure.com/openai", apiVersion: "2024-12-01-preview", credentials: { kind: "bearer", token: "eyJ" } };
    const up = azureOpenAiAdapter.embeddings!.buildEmbeddingRequest({ model: "e", input: "x" }, { ...t, model: "emb 3" }, ctx);
    expect(up.url).toBe("https://contoso.openai.azure.com/openai/deployments/emb%203/embeddings?api-version=2024-12-01-preview");
    expect(up.headers["authorization"]).toBe("Bearer eyJ");
    expect(up.headers["api-key"]).toBeUndefined();
  });

  it("speaks the v1 API with the model in the body", () => {
    const t = { ...target, apiVersion: "v1" };
    expect(azureOpenAiUrl(t, "chat/completions")).toBe("https://contoso.openai.azure.com/openai/v1/chat/completions");
    const up = azureOpenAiAdapter.responses!.buildResponsesRequest({ model: "x", input: "hi" }, t, ctx);
    expect(up.url).toBe("https://contoso.openai.azure.com/openai/v1/responses");
    expect(JSON.parse(String(up.body))).toEqual({ model: "gpt4o-prod", input: "hi" });
  });

  it("uses a preview version for the Responses API on the deployments API", () => {
    expect(azureOpenAiUrl(target, "responses")).toBe("https://contoso.openai.azure.com/openai/responses?api-version=2025-03-01-preview");
  });

  it("needs a base URL and key-type credentials", () => {
    expect(() => azureOpenAiUrl({ ...target, baseUrl: "" }, "chat/completions")).toThrow(/base URL/);
    expect(() => azureOpenAiAdapter.chat.buildChatRequest({ model: "m", messages: [] }, { ...target, credentials: { kind: "gcp-token", accessToken: "x" } }, ctx)).toThrow(/api-key/);
  });

  it("parses Azure's error shape", () => {
    const body = new TextEncoder().encode(`{"error":{"code":"DeploymentNotFound","message":"The API deployment for this resource does not exist."}}`);
    expect(azureOpenAiAdapter.chat.parseError(404, new Headers(), body)).toEqual({
      status: 404, type: "DeploymentNotFound", code: "DeploymentNotFound", message: "The API deployment for this resource does not exist.",
    });
  });
});

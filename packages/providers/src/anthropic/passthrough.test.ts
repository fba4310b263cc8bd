import { describe, expect, it } from "vitest";
import type { Target } from "../types";
import { anthropicAdapter } from "./index";

const ctx = { now: new Date(0), requestId: "r" };
const target: Target = { provider: "anthropic", baseUrl: "https://api.anthropic.com", model: "claude-sonnet-4-5-20250929", credentials: { kind: "api-key", apiKey: "sk-ant-real" } };

describe("Anthropic native passthrough", () => {
  it("forwards the body with only the model swapped, the client's version and beta, and our key", () => {
    const body = { model: "sonnet", max_tokens: 10, stream: true, messages: [{ role: "user", content: "hi" }], context_management: { edits: [] } };
    const up = anthropicAdapter.anthropicMessages!.buildMessagesRequest(body, target, ctx, { anthropicVersion: "2026-10-21", anthropicBeta: "interleaved-thinking-2025-05-14" });
    expect(up.url).toBe("https://api.anthropic.com/v1/messages");
    expect(up.stream).toBe(true);
    expect(JSON.parse(String(up.body))).toEqual({ ...body, model: "claude-sonnet-4-5-20250929" });
    expect(up.headers).toMatchObject({ "x-api-key": "sk-ant-real", "anthropic-version": "2026-10-21", "anthropic-beta": "interleaved-thinking-2025-05-14", accept: "text/event-stream" });
  });

  it("targets count_tokens without streaming and falls back to the default version", () => {
    const up = anthropicAdapter.anthropicMessages!.buildMessagesRequest({ model: "x", messages: [], stream: true }, target, ctx, { countTokens: true });
    expect(up.url).toBe("https://api.anthropic.com/v1/messages/count_tokens");
    expect(up.stream).toBe(false);
    expect(up.headers["anthropic-version"]).toBe("2023-06-01");
    expect(up.headers["anthropic-beta"]).toBeUndefined();
  });
});

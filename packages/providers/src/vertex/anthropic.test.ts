import { describe, expect, it } from "vitest";
import type { Target } from "../types";
import { vertexAdapter } from "./index";

const target: Target = {
  provider: "vertex", baseUrl: "", model: "claude-sonnet-4@20250514", region: "us-east5", project: "acme",
  credentials: { kind: "gcp-token", accessToken: "ya29.t" },
};
const ctx = { now: new Date("2025-01-01T00:00:00Z"), requestId: "req_c" };
const bytes = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));

describe("Claude on Vertex", () => {
  it("posts the Anthropic body with the Vertex version to rawPredict / streamRawPredict", () => {
    const up = vertexAdapter.chat.buildChatRequest({ model: "c", messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "hi" }], max_tokens: 64 }, target, ctx);
    expect(up.url).toBe("https://us-east5-aiplatform.googleapis.com/v1/projects/acme/locations/us-east5/publishers/anthropic/models/claude-sonnet-4@20250514:rawPredict");
    expect(up.headers.authorization).toBe("Bearer ya29.t");
    const body = JSON.parse(up.body as string);
    expect(body.anthropic_version).toBe("vertex-2023-10-16");
    expect(body.model).toBeUndefined();
    expect(body).toMatchObject({ max_tokens: 64, system: "Be brief.", messages: [{ role: "user" }] });
    const s = vertexAdapter.chat.buildChatRequest({ model: "c", messages: [{ role: "user", content: "hi" }], stream: true }, target, ctx);
    expect(s.url).toMatch(/claude-sonnet-4@20250514:streamRawPredict$/);
    expect(JSON.parse(s.body as string).stream).toBe(true);
  });

  it("reads Anthropic's response and both error shapes", () => {
    const res = vertexAdapter.chat.parseChatResponse(bytes({
      id: "msg_vrtx_01", type: "message", role: "assistant", model: "claude-sonnet-4-20250514",
      content: [{ type: "text", text: "Hello!" }], stop_reason: "end_turn", stop_sequence: null,
      usage: { input_tokens: 10, output_tokens: 3 },
    }), target, ctx);
    expect(res.choices[0]).toMatchObject({ message: { role: "assistant", content: "Hello!" }, finish_reason: "stop" });
    expect(res.usage).toMatchObject({ prompt_tokens: 10, completion_tokens: 3, total_tokens: 13 });
    const h = new Headers();
    expect(vertexAdapter.chat.parseError(529, h, bytes({ type: "error", error: { type: "overloaded_error", message: "Overloaded" } })))
      .toMatchObject({ status: 529, type: "overloaded_error", message: "Overloaded" });
    expect(vertexAdapter.chat.parseError(429, h, bytes({ error: { code: 429, message: "Quota exceeded for aiplatform.googleapis.com/online_prediction_requests_per_base_model", status: "RESOURCE_EXHAUSTED" } })))
      .toMatchObject({ status: 429, type: "RESOURCE_EXHAUSTED" });
  });
});

import { describe, expect, it } from "vitest";
import { upstreamErrorToPortcullis } from "./upstream-error";
import { isUsageOnlyChunk, normalizeOpenAiUsage, wantsStreamUsage } from "./usage";
import { bearerHeader, joinUrl, retryAfterFromHeaders } from "./http";

describe("http helpers", () => {
  it("joins URLs with exactly one slash", () => {
    expect(joinUrl("https://a/v1/", "/chat/completions")).toBe("https://a/v1/chat/completions");
    expect(joinUrl("https://a/v1", "embeddings")).toBe("https://a/v1/embeddings");
  });

  it("reads retry-after-ms, seconds and HTTP dates", () => {
    const now = Date.parse("2025-01-01T00:00:00Z");
    expect(retryAfterFromHeaders(new Headers({ "retry-after-ms": "250" }), now)).toBe(0.25);
    expect(retryAfterFromHeaders(new Headers({ "retry-after": "3" }), now)).toBe(3);
    expect(retryAfterFromHeaders(new Headers({ "retry-after": "Wed, 01 Jan 2025 00:00:10 GMT" }), now)).toBe(10);
    expect(retryAfterFromHeaders(new Headers({ "retry-after": "soon" }), now)).toBeUndefined();
    expect(retryAfterFromHeaders(new Headers(), now)).toBeUndefined();
  });

  it("builds bearer auth for token credentials and refuses AWS keys", () => {
    expect(bearerHeader({ kind: "bearer", token: "t" })).toEqual({ authorization: "Bearer t" });
    expect(bearerHeader({ kind: "none" })).toEqual({});
    expect(() => bearerHeader({ kind: "aws", accessKeyId: "a", secretAccessKey: "s" })).toThrow(/AWS/);
  });
});

describe("usage helpers", () => {
  it("says whether the client asked for stream usage", () => {
    expect(wantsStreamUsage({ model: "m", messages: [], stream: true, stream_options: { include_usage: true } })).toBe(true);
    expect(wantsStreamUsage({ model: "m", messages: [], stream: true })).toBe(false);
    expect(isUsageOnlyChunk({ id: "a", object: "chat.completion.chunk", created: 1, model: "m", choices: [], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } })).toBe(true);
    expect(isUsageOnlyChunk({ id: "a", object: "chat.completion.chunk", created: 1, model: "m", choices: [], usage: null })).toBe(false);
  });

  it("fills total_tokens when a server omits it", () => {
    expect(normalizeOpenAiUsage({ prompt_tokens: 3, completion_tokens: 4 })).toEqual({ prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 });
  });
});

describe("upstreamErrorToPortcullis", () => {
  it("keeps client errors and rate limits, hides credential failures, maps provider faults", () => {
    const bad = upstreamErrorToPortcullis({ status: 400, type: "invalid_request_error", message: "bad temperature", param: "temperature" }, "openai");
    expect([bad.code, bad.status, bad.message, bad.param]).toEqual(["bad_request", 400, "bad temperature", "temperature"]);
    const limited = upstreamErrorToPortcullis({ status: 429, type: "rate_limit_error", message: "slow down", retryAfterSeconds: 1.5 }, "anthropic");
    expect([limited.code, limited.status, limited.retryAfter, limited.retryable]).toEqual(["rate_limited", 429, 2, true]);
    const auth = upstreamErrorToPortcullis({ status: 401, type: "authentication_error", message: "invalid x-api-key" }, "anthropic");
    expect([auth.code, auth.status, auth.message]).toEqual(["upstream_error", 502, "anthropic rejected the configured credentials"]);
    expect(upstreamErrorToPortcullis({ status: 529, type: "overloaded_error", message: "Overloaded" }, "anthropic").status).toBe(503);
    expect(upstreamErrorToPortcullis({ status: 500, type: "server_error", message: "x" }, "openai").code).toBe("upstream_error");
    expect(upstreamErrorToPortcullis({ status: 404, type: "not_found_error", message: "model" }, "openai").code).toBe("model_not_found");
  });
});

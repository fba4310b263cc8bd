import { describe, expect, it } from "vitest";
import { PortcullisError, codeToStatus, errorCodes } from "./errors";
import { toAnthropicError, toOpenAiError } from "./error-shapes";

describe("errors", () => {
  it("maps every code to a 4xx or 5xx status", () => {
    for (const code of errorCodes) {
      const s = codeToStatus(code);
      expect(s >= 400 && s < 600, code).toBe(true);
    }
  });
  it("renders in OpenAI and Anthropic shapes", () => {
    const e = new PortcullisError({ code: "invalid_field", message: "messages: required", param: "messages" });
    expect(toOpenAiError(e, "req_1")).toEqual({
      error: { message: "messages: required", type: "invalid_request_error", param: "messages", code: "invalid_field", request_id: "req_1" },
    });
    expect(toAnthropicError(e)).toEqual({ type: "error", error: { type: "invalid_request_error", message: "messages: required", code: "invalid_field" } });
    const r = new PortcullisError({ code: "rate_limited", message: "slow down", retryAfter: 3 });
    expect(r.status).toBe(429);
    expect(r.retryable).toBe(true);
    expect(toAnthropicError(r).error.type).toBe("rate_limit_error");
  });
});

import { describe, expect, it } from "vitest";
import { denialToError } from "./denial-error";
import { budget, rate } from "./suite-fixtures";

describe("denialToError", () => {
  it("answers a rate limit with 429 and Retry-After, naming level and rule", () => {
    const rule = { ...rate("rl_1", "virtual_key", { rpm: 60 }), label: "ci-bot" };
    const e = denialToError({ ok: false, reason: "rate_limited", rule, kind: "rpm", limit: 60, current: 60, retryAfterSeconds: 7 }, "req_1");
    expect(e).toMatchObject({ code: "rate_limited", status: 429, retryAfter: 7, param: "virtual_key:rl_1" });
    expect(e.message).toBe('The virtual key requests-per-window limit "ci-bot" (60) is reached; retry in 7 s.');
    expect(e.details).toMatchObject({ requestId: "req_1", level: "virtual_key", label: "ci-bot", kind: "rpm" });
  });

  it("answers a budget with 402 and when it resets", () => {
    const rule = { ...budget("bud_1", "team", 5_000_000), label: "ml-research" };
    const e = denialToError({ ok: false, reason: "budget_exceeded", rule, kind: "budget", limit: 5_000_000, current: 4_999_000, resetsAt: new Date("2026-06-01T00:00:00Z") }, "req_2");
    expect(e).toMatchObject({ code: "budget_exceeded", status: 402, retryAfter: undefined, param: "team:bud_1" });
    expect(e.message).toBe('The team budget "ml-research" is exhausted; it resets at 2026-06-01T00:00:00.000Z.');
  });
});

import { describe, expect, it } from "vitest";
import { formatResetDuration, rateLimitHeaders, retryAfterSeconds, tightestRateStatus, type RateWindowStatus } from "./rate-window";

describe("rate windows", () => {
  it("rounds Retry-After up to whole seconds, at least 1", () => {
    expect([0, 1, 999, 1_000, 1_001, 59_999].map(retryAfterSeconds)).toEqual([1, 1, 1, 1, 2, 60]);
  });

  it("picks the tightest window per kind", () => {
    const s: RateWindowStatus[] = [
      { kind: "rpm", limit: 100, remaining: 40, resetMs: 1_000 },
      { kind: "rpm", limit: 10, remaining: 5, resetMs: 2_000 },
      { kind: "rpm", limit: 20, remaining: 5, resetMs: 3_000 },
      { kind: "tpm", limit: 1_000, remaining: 900, resetMs: 500 },
    ];
    expect(tightestRateStatus(s, "rpm")).toBe(s[1]);
    expect(tightestRateStatus(s, "tpm")).toBe(s[3]);
    expect(rateLimitHeaders(s)).toEqual({
      "x-ratelimit-limit-requests": "10",
      "x-ratelimit-remaining-requests": "5",
      "x-ratelimit-reset-requests": "2s",
      "x-ratelimit-limit-tokens": "1000",
      "x-ratelimit-remaining-tokens": "900",
      "x-ratelimit-reset-tokens": "500ms",
    });
    expect(rateLimitHeaders([])).toEqual({});
  });

  it("formats reset durations the way OpenAI does", () => {
    expect([250, 1_500, 60_000, 360_000, 3_723_000].map(formatResetDuration)).toEqual(["250ms", "1.5s", "1m0s", "6m0s", "1h2m3s"]);
  });
});

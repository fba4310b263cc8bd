import { describe, expect, it } from "vitest";
import { requestMetaFrom } from "./request-meta";

describe("requestMetaFrom", () => {
  it("takes the first x-forwarded-for entry and the user agent", () => {
    const headers = new Headers({ "x-forwarded-for": "203.0.113.9, 10.0.0.1", "user-agent": "Mozilla/5.0" });
    expect(requestMetaFrom(headers)).toEqual({ ip: "203.0.113.9", userAgent: "Mozilla/5.0" });
  });

  it("falls back to x-real-ip and reads plain header records", () => {
    expect(requestMetaFrom({ "x-real-ip": "198.51.100.4" })).toEqual({ ip: "198.51.100.4", userAgent: null });
  });

  it("clips oversized values", () => {
    const meta = requestMetaFrom({ "x-forwarded-for": "1".repeat(500), "user-agent": "a".repeat(5000) });
    expect(meta.ip).toHaveLength(64);
    expect(meta.userAgent).toHaveLength(512);
  });

  it("returns nulls when nothing is known", () => {
    expect(requestMetaFrom(new Headers())).toEqual({ ip: null, userAgent: null });
  });
});

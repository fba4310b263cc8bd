import { describe, expect, it } from "vitest";
import { isCrossOrigin } from "./csrf";

const url = "https://console.example.com";

describe("isCrossOrigin", () => {
  it("accepts the console's own origin and requests without browser hints (API clients, server calls)", () => {
    expect(isCrossOrigin(new Headers({ origin: "https://console.example.com" }), url)).toBe(false);
    expect(isCrossOrigin(new Headers(), url)).toBe(false);
    expect(isCrossOrigin(new Headers({ "sec-fetch-site": "same-origin" }), url)).toBe(false);
  });

  it("refuses another origin, a sibling subdomain, or a cross-site fetch", () => {
    expect(isCrossOrigin(new Headers({ origin: "https://evil.example" }), url)).toBe(true);
    expect(isCrossOrigin(new Headers({ origin: "https://other.example.com" }), url)).toBe(true);
    expect(isCrossOrigin(new Headers({ origin: "http://console.example.com" }), url)).toBe(true);
    expect(isCrossOrigin(new Headers({ "sec-fetch-site": "same-site" }), url)).toBe(true);
    expect(isCrossOrigin(new Headers({ "sec-fetch-site": "cross-site" }), url)).toBe(true);
  });
});

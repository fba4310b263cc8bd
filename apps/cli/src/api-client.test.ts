import { afterEach, describe, expect, it, vi } from "vitest";
import { apiTargetOf } from "./api-client";

afterEach(() => vi.restoreAllMocks());

describe("apiTargetOf", () => {
  it("is off without a URL and a token, and prefers flags over the environment", () => {
    expect(apiTargetOf({}, {})).toBeNull();
    expect(apiTargetOf({}, { PORTCULLIS_URL: "https://pc.example.test/", PORTCULLIS_API_TOKEN: "pca_env" })).toEqual({ url: "https://pc.example.test", token: "pca_env" });
    expect(apiTargetOf({ url: "http://localhost:3000", token: "pca_flag" }, { PORTCULLIS_URL: "https://pc.example.test", PORTCULLIS_API_TOKEN: "pca_env" })).toEqual({ url: "http://localhost:3000", token: "pca_flag" });
  });

  it("refuses half a configuration and a URL that is not http(s)", () => {
    expect(() => apiTargetOf({ token: "pca_x" }, {})).toThrow(/no console URL/);
    expect(() => apiTargetOf({}, { PORTCULLIS_URL: "https://pc.example.test" })).toThrow(/no API token/);
    expect(() => apiTargetOf({ url: "pc.example.test", token: "pca_x" }, {})).toThrow(/invalid console URL/);
  });
});

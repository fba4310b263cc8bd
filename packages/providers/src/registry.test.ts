import { PortcullisError } from "@portcullis/core";
import { describe, expect, it } from "vitest";
import { getAdapter, providerAdapters } from "./registry";
import { providerTypes } from "./types";

describe("registry", () => {
  it("has an adapter of the right type for every provider type", () => {
    for (const type of providerTypes) expect(providerAdapters[type].type).toBe(type);
  });

  it("throws a PortcullisError for an unknown type", () => {
    expect(getAdapter("anthropic").type).toBe("anthropic");
    expect(() => getAdapter("cohere")).toThrow(PortcullisError);
  });
});

import { describe, expect, it } from "vitest";
import { idPrefixes, isId, newId } from "./ids";

describe("ids", () => {
  it("prefixes ids by kind and is time-sortable", () => {
    const a = newId("virtualKey", 1_700_000_000_000);
    const b = newId("virtualKey", 1_700_000_000_001);
    expect(a.startsWith("vk_")).toBe(true);
    expect(a < b).toBe(true);
    expect(isId("virtualKey", a)).toBe(true);
    expect(isId("team", a)).toBe(false);
  });
  it("has unique prefixes", () => {
    const values = Object.values(idPrefixes);
    expect(new Set(values).size).toBe(values.length);
  });
});

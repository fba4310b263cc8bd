import { describe, expect, it } from "vitest";
import { canonicalJson, jsonEqual } from "./canonical";

describe("canonicalJson", () => {
  it("sorts keys at every depth and keeps array order", () => {
    const a = { b: 1, a: { y: [2, { q: 1, p: 2 }], x: "s" } };
    const b = { a: { x: "s", y: [2, { p: 2, q: 1 }] }, b: 1 };
    expect(canonicalJson(a)).toBe('{"a":{"x":"s","y":[2,{"p":2,"q":1}]},"b":1}');
    expect(canonicalJson(b)).toBe(canonicalJson(a));
    expect(canonicalJson([2, 1])).not.toBe(canonicalJson([1, 2]));
  });

  it("orders array-index keys first, numerically, then the rest by code unit", () => {
    const v = { b: 1, B: 2, é: 3, a: 4, "10": 5, "9": 6, "09": 7, "4294967295": 8 };
    expect(canonicalJson(v)).toBe('{"9":6,"10":5,"09":7,"4294967295":8,"B":2,"a":4,"b":1,"é":3}');
    // Same bytes whatever the insertion order.
    const reversed = Object.fromEntries(Object.entries(v).reverse());
    expect(canonicalJson(reversed)).toBe(canonicalJson(v));
  });

  it("is stable: canonical output parsed and serialized again gives the same bytes", () => {
    const v = { z: { "2": [1, { d: null, c: "x" }], "1": true, k: "v" }, a: [{ y: 1, x: 2 }] };
    const once = canonicalJson(v);
    expect(canonicalJson(JSON.parse(once))).toBe(once);
    expect(JSON.parse(once)).toEqual(v);
  });

  it("drops undefined members like JSON.stringify and leaves the input untouched", () => {
    const v = { a: undefined, b: [undefined, 1], c: null, d: "é\u2028\"", e: -0, f: 1.5e-7, g: { y: 1, x: 2 } };
    expect(canonicalJson(v)).toBe('{"b":[null,1],"c":null,"d":"é\u2028\\"","e":0,"f":1.5e-7,"g":{"x":2,"y":1}}');
    expect(Object.keys(v.g)).toEqual(["y", "x"]);
  });

  it("keeps a __proto__ member as data", () => {
    const v = JSON.parse('{"b":2,"__proto__":{"y":1,"x":1}}') as unknown;
    expect(canonicalJson(v)).toBe('{"__proto__":{"x":1,"y":1},"b":2}');
  });

  it("refuses values JSON cannot carry", () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(/not JSON/);
    expect(() => canonicalJson({ n: 1n })).toThrow(/bigint/);
  });
});

describe("jsonEqual", () => {
  it("compares structure, ignoring key order and undefined members", () => {
    expect(jsonEqual({ a: [1, { b: 2 }], c: undefined }, { a: [1, { b: 2 }] })).toBe(true);
    expect(jsonEqual({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(jsonEqual({ a: 1 }, { a: "1" })).toBe(false);
    expect(jsonEqual({ a: null }, { a: {} })).toBe(false);
    expect(jsonEqual([], {})).toBe(false);
  });
});

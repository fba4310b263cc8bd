import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { GENESIS_HASH, canonicalJson, hashEvent, pickAuditHashFields, toCanonicalValue } from "./canonical";

describe("canonicalJson", () => {
  it("does not depend on key order, at any depth", () => {
    const a = { b: 1, a: { y: [1, { q: 1, p: 2 }], x: "s" } };
    const b = { a: { x: "s", y: [1, { p: 2, q: 1 }] }, b: 1 };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(a)).toBe('{"a":{"x":"s","y":[1,{"p":2,"q":1}]},"b":1}');
  });

  it("keeps array order", () => {
    expect(canonicalJson([2, 1])).not.toBe(canonicalJson([1, 2]));
  });

  it("sorts keys by UTF-16 code units", () => {
    expect(canonicalJson({ b: 1, B: 2, "é": 3, a: 4, "10": 5, "9": 6 })).toBe('{"10":5,"9":6,"B":2,"a":4,"b":1,"é":3}');
  });

  it("encodes scalars like JSON, dates as ISO strings and bigints as decimal strings", () => {
    expect(canonicalJson(null)).toBe("null");
    expect(canonicalJson(true)).toBe("true");
    expect(canonicalJson(1.5)).toBe("1.5");
    expect(canonicalJson(-0)).toBe("0");
    expect(canonicalJson(1e21)).toBe("1e+21");
    expect(canonicalJson('a"b\n')).toBe('"a\\"b\\n"');
    expect(canonicalJson(new Date(Date.UTC(2025, 0, 2, 3, 4, 5, 6)))).toBe('"2025-01-02T03:04:05.006Z"');
    expect(canonicalJson(12345678901234567890n)).toBe('"12345678901234567890"');
  });

  it("uses toJSON of class instances (e.g. Decimal)", () => {
    class Money {
      constructor(private readonly v: string) {}
      toJSON() {
        return this.v;
      }
    }
    expect(canonicalJson({ price: new Money("1.50") })).toBe('{"price":"1.50"}');
  });

  it("drops undefined members and writes undefined array items as null, like jsonb would", () => {
    expect(canonicalJson({ a: undefined, b: [undefined, 1] })).toBe('{"b":[null,1]}');
  });

  it("refuses values that would not survive the database", () => {
    expect(() => canonicalJson(Number.NaN)).toThrow(TypeError);
    expect(() => canonicalJson({ x: Infinity })).toThrow(TypeError);
    expect(() => canonicalJson(() => 1)).toThrow(TypeError);
    expect(() => canonicalJson(new Map())).toThrow(/Map/);
    expect(() => canonicalJson(new Date("nope"))).toThrow(/invalid Date/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(/circular/);
  });

  it("allows the same object twice when it is not a cycle", () => {
    const shared = { k: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"k":1},"b":{"k":1}}');
  });

  it("toCanonicalValue round-trips to the same encoding", () => {
    const v = { when: new Date(0), n: 5n, list: [undefined] };
    expect(toCanonicalValue(v)).toEqual({ list: [null], n: "5", when: "1970-01-01T00:00:00.000Z" });
    expect(canonicalJson(toCanonicalValue(v))).toBe(canonicalJson(v));
  });
});

describe("hashEvent", () => {
  const event = {
    id: "evt_01",
    occurredAt: new Date(Date.UTC(2025, 5, 1, 12, 0, 0, 0)),
    actorType: "user",
    actorId: "usr_1",
    action: "virtual_key.create",
    outcome: "success",
    after: { name: "k", allowedModels: ["gpt-4o"] },
    metadata: { b: 2, a: 1 },
  };

  it("is sha256(prevHash + canonical fields), with absent optionals as null", () => {
    const expected = createHash("sha256")
      .update(
        GENESIS_HASH +
          '{"action":"virtual_key.create","actorId":"usr_1","actorLabel":null,"actorType":"user",' +
          '"after":{"allowedModels":["gpt-4o"],"name":"k"},"before":null,"id":"evt_01","ip":null,' +
          '"metadata":{"a":1,"b":2},"occurredAt":"2025-06-01T12:00:00.000Z","outcome":"success",' +
          '"requestId":null,"targetId":null,"targetType":null,"userAgent":null}',
      )
      .digest("hex");
    expect(hashEvent(GENESIS_HASH, event)).toBe(expected);
  });

  it("is stable across key order, Date vs ISO string and extra row columns", () => {
    const row = { ...event, occurredAt: "2025-06-01T12:00:00Z", seq: 7n, hash: "x", prevHash: "y", metadata: { a: 1, b: 2 } };
    expect(hashEvent(GENESIS_HASH, row)).toBe(hashEvent(GENESIS_HASH, event));
  });

  it("changes with the previous hash and with any hashed field", () => {
    const h = hashEvent(GENESIS_HASH, event);
    expect(hashEvent("f".repeat(64), event)).not.toBe(h);
    expect(hashEvent(GENESIS_HASH, { ...event, actorId: "usr_2" })).not.toBe(h);
    expect(hashEvent(GENESIS_HASH, { ...event, after: { name: "k2", allowedModels: ["gpt-4o"] } })).not.toBe(h);
    expect(hashEvent(GENESIS_HASH, { ...event, occurredAt: new Date(event.occurredAt.getTime() + 1) })).not.toBe(h);
  });

  it("treats null and absent optional fields alike but not null and {} metadata alike", () => {
    expect(hashEvent(GENESIS_HASH, { ...event, ip: null, before: undefined })).toBe(hashEvent(GENESIS_HASH, event));
    expect(pickAuditHashFields({ ...event, metadata: undefined }).metadata).toEqual({});
  });

  it("rejects a malformed previous hash", () => {
    expect(() => hashEvent("abc", event)).toThrow(/prevHash/);
    expect(() => hashEvent("F".repeat(64), event)).toThrow(/prevHash/);
  });
});

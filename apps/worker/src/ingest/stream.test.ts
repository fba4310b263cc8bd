import { describe, expect, it } from "vitest";
import { entriesOfReadReply, parseEntries } from "./stream";

describe("entriesOfReadReply", () => {
  const entries = [["1-0", ["e", '{"id":"req_1"}']], ["2-0", null]];
  it("reads RESP3 (flattened map) and RESP2 (nested) replies alike", () => {
    const expected = [{ id: "1-0", fields: ["e", '{"id":"req_1"}'] }, { id: "2-0", fields: null }];
    expect(entriesOfReadReply(["pc:events", entries])).toEqual(expected);
    expect(entriesOfReadReply([["pc:events", entries]])).toEqual(expected);
  });
  it("treats a timed-out BLOCK (null) and an empty reply as no entries", () => {
    expect(entriesOfReadReply(null)).toEqual([]);
    expect(entriesOfReadReply([])).toEqual([]);
  });
});

describe("parseEntries", () => {
  it("returns the event documents and names the entries without one", () => {
    const { events, unreadable } = parseEntries([
      { id: "1-0", fields: ["e", '{"id":"req_1"}'] },
      { id: "2-0", fields: null },
      { id: "3-0", fields: ["x", "1"] },
      { id: "4-0", fields: ["e", "{not json"] },
    ]);
    expect(events).toEqual([{ id: "req_1" }]);
    expect(unreadable.map((u) => u.reason)).toEqual(["stream entry 2-0 has no e field", "stream entry 3-0 has no e field", "stream entry 4-0 is not JSON"]);
  });
});

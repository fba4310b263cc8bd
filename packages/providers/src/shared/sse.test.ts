import { describe, expect, it } from "vitest";
import { createSseParser, encodeSseEvent, type SseEvent } from "./sse";

const enc = new TextEncoder();

function parseAll(chunks: Array<Uint8Array | string>): { events: SseEvent[]; pendingPartial: boolean } {
  const p = createSseParser();
  const events: SseEvent[] = [];
  for (const c of chunks) events.push(...p.push(c));
  const end = p.end();
  return { events: [...events, ...end.events], pendingPartial: end.pendingPartial };
}

/** Splits bytes at every possible single boundary and at every byte. */
function splits(bytes: Uint8Array): Uint8Array[][] {
  const out: Uint8Array[][] = [];
  for (let i = 0; i <= bytes.length; i++) out.push([bytes.slice(0, i), bytes.slice(i)]);
  out.push(Array.from(bytes, (b) => Uint8Array.of(b)));
  return out;
}

describe("createSseParser", () => {
  it("parses LF-framed events with event names", () => {
    const { events } = parseAll(["event: ping\ndata: {\"a\":1}\n\ndata: two\n\n"]);
    expect(events).toEqual([{ event: "ping", data: "{\"a\":1}" }, { data: "two" }]);
  });

  it("parses CRLF and lone CR line endings", () => {
    const { events } = parseAll(["data: a\r\n\r\ndata: b\r\rdata: c\n\n"]);
    expect(events.map((e) => e.data)).toEqual(["a", "b", "c"]);
  });

  it("joins multi-line data with \\n and strips only one leading space", () => {
    const { events } = parseAll(["data: line1\ndata:line2\ndata:  indented\n\n"]);
    expect(events).toEqual([{ data: "line1\nline2\n indented" }]);
  });

  it("ignores comments and unknown fields; keeps id and retry", () => {
    const { events } = parseAll([": keep-alive\nfoo: bar\nid: 7\nretry: 1500\ndata: x\n\n"]);
    expect(events).toEqual([{ data: "x", id: "7", retry: 1500 }]);
  });

  it("does not dispatch an event without data lines", () => {
    const { events } = parseAll(["event: nothing\n\ndata: y\n\n"]);
    expect(events).toEqual([{ data: "y" }]);
  });

  it("treats a field without colon as empty value", () => {
    const { events } = parseAll(["data\n\n"]);
    expect(events).toEqual([{ data: "" }]);
  });

  it("yields identical events for every chunk boundary, including inside CRLF and UTF-8", () => {
    const text = "event: content_block_delta\r\ndata: {\"text\":\"héllo 世界 🚀\"}\r\n\r\n: c\r\ndata: [DONE]\r\n\r\n";
    const bytes = enc.encode(text);
    const expected = parseAll([text]).events;
    expect(expected).toEqual([
      { event: "content_block_delta", data: "{\"text\":\"héllo 世界 🚀\"}" },
      { data: "[DONE]" },
    ]);
    for (const parts of splits(bytes)) {
      expect(parseAll(parts).events).toEqual(expected);
    }
  });

  it("reports a trailing event that was never terminated", () => {
    const r = parseAll(["data: done\n\ndata: cut"]);
    expect(r.events).toEqual([{ data: "done" }]);
    expect(r.pendingPartial).toBe(true);
    expect(parseAll(["data: done\n\n"]).pendingPartial).toBe(false);
    expect(parseAll(["data: a\n"]).pendingPartial).toBe(true);
  });

  it("strips a leading BOM", () => {
    const { events } = parseAll([Uint8Array.of(0xef, 0xbb), Uint8Array.of(0xbf, ...enc.encode("data: z\n\n"))]);
    expect(events).toEqual([{ data: "z" }]);
  });
});

describe("encodeSseEvent", () => {
  it("round-trips through the parser", () => {
    const ev = { event: "message_start", data: "a\nb" };
    expect(encodeSseEvent(ev)).toBe("event: message_start\ndata: a\ndata: b\n\n");
    expect(parseAll([encodeSseEvent(ev)]).events).toEqual([ev]);
  });
});

import { describe, expect, it } from "vitest";
import { createEventStreamDecoder, encodeEventStreamMessage, EventStreamError, headerString, type EventStreamMessage } from "./event-stream";
import { crc32 } from "./crc32";

const text = (s: string) => new TextEncoder().encode(s);
const json = (s: Uint8Array) => JSON.parse(new TextDecoder().decode(s)) as unknown;

// Published frames for the payload `{"foo": "bar"}` (from the event-stream spec examples
// reproduced by independent codecs): one without headers, one with a content-type.
const bareFrame = Uint8Array.from([
  0, 0, 0, 30, 0, 0, 0, 0, 186, 242, 246, 138, ...text('{"foo": "bar"}'), 174, 114, 88, 228,
]);
const headerFrame = Uint8Array.from([
  0, 0, 0, 62, 0, 0, 0, 32, 64, 93, 249, 70,
  12, ...text("content-type"), 7, 0, 16, ...text("application/json"),
  ...text('{"foo": "bar"}'), 111, 162, 191, 59,
]);

function bedrockEvent(eventType: string, payload: unknown): EventStreamMessage {
  return {
    headers: {
      ":event-type": { type: "string", value: eventType },
      ":content-type": { type: "string", value: "application/json" },
      ":message-type": { type: "string", value: "event" },
    },
    payload: text(JSON.stringify(payload)),
  };
}

const recorded = [
  bedrockEvent("messageStart", { p: "abcdefgh", role: "assistant" }),
  bedrockEvent("contentBlockDelta", { contentBlockIndex: 0, delta: { text: "Héllo 👋" }, p: "abcd" }),
  bedrockEvent("contentBlockStop", { contentBlockIndex: 0, p: "abcdefghijk" }),
  bedrockEvent("messageStop", { p: "ab", stopReason: "end_turn" }),
  bedrockEvent("metadata", { metrics: { latencyMs: 312 }, p: "abc", usage: { inputTokens: 9, outputTokens: 4, totalTokens: 13 } }),
];
const recordedBytes = Uint8Array.from(recorded.flatMap((m) => Array.from(encodeEventStreamMessage(m))));

describe("crc32", () => {
  it("matches the standard check value", () => {
    expect(crc32(text("123456789"))).toBe(0xcbf43926);
  });
});

describe("event-stream encoding", () => {
  it("reproduces the published frames byte for byte", () => {
    expect(encodeEventStreamMessage({ headers: {}, payload: text('{"foo": "bar"}') })).toEqual(bareFrame);
    expect(encodeEventStreamMessage({
      headers: { "content-type": { type: "string", value: "application/json" } },
      payload: text('{"foo": "bar"}'),
    })).toEqual(headerFrame);
  });

  it("decodes the published frames", () => {
    const d = createEventStreamDecoder();
    const [a, b] = d.push(Uint8Array.from([...bareFrame, ...headerFrame]));
    expect(json(a!.payload)).toEqual({ foo: "bar" });
    expect(a!.headers).toEqual({});
    expect(headerString(b!, "content-type")).toBe("application/json");
    expect(d.pendingBytes()).toBe(0);
  });

  it("round-trips every header value type", () => {
    const message: EventStreamMessage = {
      headers: {
        t: { type: "boolean", value: true },
        f: { type: "boolean", value: false },
        b: { type: "byte", value: -7 },
        s: { type: "short", value: -30000 },
        i: { type: "integer", value: 2_000_000_000 },
        l: { type: "long", value: -(2n ** 62n) },
        bin: { type: "binary", value: Uint8Array.of(0, 255, 1) },
        str: { type: "string", value: "ünïcode" },
        ts: { type: "timestamp", value: new Date("2024-05-01T10:00:00.123Z") },
        id: { type: "uuid", value: "0123abcd-4567-89ef-0123-456789abcdef" },
      },
      payload: Uint8Array.of(),
    };
    const [decoded] = createEventStreamDecoder().push(encodeEventStreamMessage(message));
    expect(decoded).toEqual(message);
  });
});

describe("event-stream decoding across chunk boundaries", () => {
  it("yields the same frames for a split at every byte boundary", () => {
    for (let cut = 0; cut <= recordedBytes.length; cut++) {
      const d = createEventStreamDecoder();
      const frames = [...d.push(recordedBytes.subarray(0, cut)), ...d.push(recordedBytes.subarray(cut))];
      expect(frames.map((f) => json(f.payload))).toEqual(recorded.map((f) => json(f.payload)));
      expect(d.pendingBytes()).toBe(0);
    }
  });

  it("handles one byte at a time", () => {
    const d = createEventStreamDecoder();
    const frames: EventStreamMessage[] = [];
    for (const byte of recordedBytes) frames.push(...d.push(Uint8Array.of(byte)));
    expect(frames.map((f) => headerString(f, ":event-type"))).toEqual(
      ["messageStart", "contentBlockDelta", "contentBlockStop", "messageStop", "metadata"],
    );
    expect(json(frames[1]!.payload)).toMatchObject({ delta: { text: "Héllo 👋" } });
  });

  it("reports a truncated frame through pendingBytes", () => {
    const d = createEventStreamDecoder();
    expect(d.push(recordedBytes.subarray(0, recordedBytes.length - 3))).toHaveLength(4);
    expect(d.pendingBytes()).toBeGreaterThan(0);
  });
});

describe("event-stream CRC verification", () => {
  it("throws on a message CRC mismatch (corrupted payload)", () => {
    const bad = headerFrame.slice();
    bad[50] = bad[50]! ^ 0x01;
    expect(() => createEventStreamDecoder().push(bad)).toThrowError(expect.objectContaining({ kind: "message_crc" }));
  });

  it("throws on a prelude CRC mismatch before waiting for a bogus length", () => {
    const bad = headerFrame.slice();
    bad[3] = 0xff; // total length now 255: the prelude CRC no longer matches
    const d = createEventStreamDecoder();
    expect(() => d.push(bad.subarray(0, 12))).toThrow(EventStreamError);
  });

  it("stays failed after an error", () => {
    const bad = bareFrame.slice();
    bad[bad.length - 1] = bad[bad.length - 1]! ^ 0xff;
    const d = createEventStreamDecoder();
    expect(() => d.push(bad)).toThrow(/message CRC mismatch/);
    expect(() => d.push(bareFrame)).toThrow(/message CRC mismatch/);
  });

  it("delivers the good frames that precede a corrupt one, then fails", () => {
    const bad = bareFrame.slice();
    bad[20] = bad[20]! ^ 0x04;
    const d = createEventStreamDecoder();
    const frames = d.push(Uint8Array.from([...headerFrame, ...bad]));
    expect(frames).toHaveLength(1);
    expect(d.failure()).toMatchObject({ kind: "message_crc" });
    expect(() => d.push(Uint8Array.of())).toThrow(EventStreamError);
  });

  it("rejects lengths that disagree even when the prelude CRC is right", () => {
    const frame = new Uint8Array(16);
    const v = new DataView(frame.buffer);
    v.setUint32(0, 16);
    v.setUint32(4, 8); // headers cannot fit in a 16-byte frame
    v.setUint32(8, crc32(frame, 0, 8));
    expect(() => createEventStreamDecoder().push(frame)).toThrowError(expect.objectContaining({ kind: "malformed" }));
  });
});

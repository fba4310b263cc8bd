/**
 * AWS event-stream framing (`application/vnd.amazon.eventstream`), as used by
 * Bedrock's ConverseStream. Every frame is:
 *
 *   total length u32 | headers length u32 | prelude CRC32 u32 |
 *   headers | payload | message CRC32 u32          (all big-endian)
 *
 * The decoder is incremental (frames may be split at any byte) and verifies
 * both checksums: a corrupt frame throws instead of yielding garbage.
 */
import { crc32 } from "./crc32";

export type EventStreamHeaderValue =
  | { type: "boolean"; value: boolean }
  | { type: "byte"; value: number }
  | { type: "short"; value: number }
  | { type: "integer"; value: number }
  | { type: "long"; value: bigint }
  | { type: "binary"; value: Uint8Array }
  | { type: "string"; value: string }
  | { type: "timestamp"; value: Date }
  | { type: "uuid"; value: string };

export interface EventStreamMessage {
  headers: Record<string, EventStreamHeaderValue>;
  payload: Uint8Array;
}

export type EventStreamErrorKind = "prelude_crc" | "message_crc" | "malformed" | "too_large";

export class EventStreamError extends Error {
  readonly kind: EventStreamErrorKind;
  constructor(kind: EventStreamErrorKind, message: string) {
    super(message);
    this.name = "EventStreamError";
    this.kind = kind;
  }
}

export interface EventStreamDecoder {
  /**
   * Feeds bytes; returns the frames they completed. On a bad frame it throws
   * EventStreamError, unless good frames preceded it in this call: those are
   * returned and the error is thrown by the next call (and kept in `failure()`).
   */
  push(bytes: Uint8Array): EventStreamMessage[];
  /** Bytes of an unfinished frame still buffered (non-zero at end of input means truncation). */
  pendingBytes(): number;
  /** The error that stopped decoding, if any. */
  failure(): EventStreamError | undefined;
}

const preludeLength = 12;
const overhead = 16; // prelude + message CRC
/** AWS caps a message at 16 MiB of payload and 128 KiB of headers. */
const maxHeadersLength = 128 * 1024;
const maxTotalLength = 16 * 1024 * 1024 + maxHeadersLength + overhead;

const typeCodes = {
  boolTrue: 0, boolFalse: 1, byte: 2, short: 3, integer: 4, long: 5,
  binary: 6, string: 7, timestamp: 8, uuid: 9,
} as const;

const utf8 = new TextDecoder("utf-8", { fatal: true });
const utf8Encoder = new TextEncoder();

export function createEventStreamDecoder(): EventStreamDecoder {
  let buffer: Uint8Array = new Uint8Array(0);
  let failed: EventStreamError | undefined;

  /** Decodes whole frames into `out`; returns the offset after the last one. Throws on a bad frame. */
  function decode(out: EventStreamMessage[]): number {
    let offset = 0;
    while (buffer.length - offset >= preludeLength) {
      const view = new DataView(buffer.buffer, buffer.byteOffset + offset);
      const total = view.getUint32(0);
      const headersLength = view.getUint32(4);
      const preludeCrc = view.getUint32(8);
      const actualPreludeCrc = crc32(buffer, offset, offset + 8);
      if (preludeCrc !== actualPreludeCrc) {
        throw new EventStreamError("prelude_crc", `event-stream prelude CRC mismatch: frame says ${hex(preludeCrc)}, bytes give ${hex(actualPreludeCrc)}`);
      }
      if (total < overhead || headersLength > total - overhead) {
        throw new EventStreamError("malformed", `event-stream frame lengths disagree (total ${total}, headers ${headersLength})`);
      }
      if (total > maxTotalLength || headersLength > maxHeadersLength) {
        throw new EventStreamError("too_large", `event-stream frame of ${total} bytes exceeds the limit`);
      }
      if (buffer.length - offset < total) break;
      const messageCrc = view.getUint32(total - 4);
      const actualMessageCrc = crc32(buffer, offset, offset + total - 4);
      if (messageCrc !== actualMessageCrc) {
        throw new EventStreamError("message_crc", `event-stream message CRC mismatch: frame says ${hex(messageCrc)}, bytes give ${hex(actualMessageCrc)}`);
      }
      const headersStart = offset + preludeLength;
      const payloadStart = headersStart + headersLength;
      let headers: Record<string, EventStreamHeaderValue>;
      try {
        headers = decodeHeaders(buffer.subarray(headersStart, payloadStart));
      } catch (e) {
        throw e instanceof EventStreamError ? e : new EventStreamError("malformed", `event-stream headers: ${(e as Error).message}`);
      }
      out.push({ headers, payload: buffer.slice(payloadStart, offset + total - 4) });
      offset += total;
    }
    return offset;
  }

  return {
    push(bytes) {
      if (failed) throw failed;
      buffer = buffer.length === 0 ? bytes.slice() : concat(buffer, bytes);
      const out: EventStreamMessage[] = [];
      let offset: number;
      try {
        offset = decode(out);
      } catch (e) {
        failed = e as EventStreamError;
        buffer = new Uint8Array(0);
        if (out.length === 0) throw failed;
        return out;
      }
      buffer = offset === buffer.length ? new Uint8Array(0) : buffer.slice(offset);
      return out;
    },
    pendingBytes() {
      return buffer.length;
    },
    failure() {
      return failed;
    },
  };
}

function decodeHeaders(bytes: Uint8Array): Record<string, EventStreamHeaderValue> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headers: Record<string, EventStreamHeaderValue> = {};
  let p = 0;
  const need = (n: number) => {
    if (p + n > bytes.length) throw new EventStreamError("malformed", "event-stream header runs past its section");
  };
  while (p < bytes.length) {
    need(1);
    const nameLength = view.getUint8(p);
    p += 1;
    need(nameLength + 1);
    const name = utf8.decode(bytes.subarray(p, p + nameLength));
    p += nameLength;
    const type = view.getUint8(p);
    p += 1;
    let value: EventStreamHeaderValue;
    switch (type) {
      case typeCodes.boolTrue: value = { type: "boolean", value: true }; break;
      case typeCodes.boolFalse: value = { type: "boolean", value: false }; break;
      case typeCodes.byte: need(1); value = { type: "byte", value: view.getInt8(p) }; p += 1; break;
      case typeCodes.short: need(2); value = { type: "short", value: view.getInt16(p) }; p += 2; break;
      case typeCodes.integer: need(4); value = { type: "integer", value: view.getInt32(p) }; p += 4; break;
      case typeCodes.long: need(8); value = { type: "long", value: view.getBigInt64(p) }; p += 8; break;
      case typeCodes.timestamp: need(8); value = { type: "timestamp", value: new Date(Number(view.getBigInt64(p))) }; p += 8; break;
      case typeCodes.binary:
      case typeCodes.string: {
        need(2);
        const length = view.getUint16(p);
        p += 2;
        need(length);
        const raw = bytes.slice(p, p + length);
        p += length;
        value = type === typeCodes.string ? { type: "string", value: utf8.decode(raw) } : { type: "binary", value: raw };
        break;
      }
      case typeCodes.uuid: need(16); value = { type: "uuid", value: formatUuid(bytes.subarray(p, p + 16)) }; p += 16; break;
      default:
        throw new EventStreamError("malformed", `event-stream header "${name}" has unknown type ${type}`);
    }
    headers[name] = value;
  }
  return headers;
}

/** Encodes one frame (used by fixtures and the simulator's tests). */
export function encodeEventStreamMessage(message: EventStreamMessage): Uint8Array {
  const headerBytes = encodeHeaders(message.headers);
  const total = overhead + headerBytes.length + message.payload.length;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, total);
  view.setUint32(4, headerBytes.length);
  view.setUint32(8, crc32(out, 0, 8));
  out.set(headerBytes, preludeLength);
  out.set(message.payload, preludeLength + headerBytes.length);
  view.setUint32(total - 4, crc32(out, 0, total - 4));
  return out;
}

function encodeHeaders(headers: Record<string, EventStreamHeaderValue>): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const [name, header] of Object.entries(headers)) {
    const nameBytes = utf8Encoder.encode(name);
    if (nameBytes.length > 255) throw new EventStreamError("malformed", `header name "${name}" is too long`);
    parts.push(Uint8Array.of(nameBytes.length), nameBytes, encodeHeaderValue(header));
  }
  return concat(...parts);
}

function encodeHeaderValue(h: EventStreamHeaderValue): Uint8Array {
  const fixed = (type: number, size: number, write: (v: DataView) => void) => {
    const b = new Uint8Array(1 + size);
    b[0] = type;
    write(new DataView(b.buffer, 1));
    return b;
  };
  switch (h.type) {
    case "boolean": return Uint8Array.of(h.value ? typeCodes.boolTrue : typeCodes.boolFalse);
    case "byte": return fixed(typeCodes.byte, 1, (v) => v.setInt8(0, h.value));
    case "short": return fixed(typeCodes.short, 2, (v) => v.setInt16(0, h.value));
    case "integer": return fixed(typeCodes.integer, 4, (v) => v.setInt32(0, h.value));
    case "long": return fixed(typeCodes.long, 8, (v) => v.setBigInt64(0, h.value));
    case "timestamp": return fixed(typeCodes.timestamp, 8, (v) => v.setBigInt64(0, BigInt(h.value.getTime())));
    case "uuid": {
      const raw = h.value.replace(/-/g, "");
      if (!/^[0-9a-f]{32}$/i.test(raw)) throw new EventStreamError("malformed", "uuid header must be 16 bytes of hex");
      const b = new Uint8Array(17);
      b[0] = typeCodes.uuid;
      for (let i = 0; i < 16; i++) b[i + 1] = parseInt(raw.slice(i * 2, i * 2 + 2), 16);
      return b;
    }
    case "binary":
    case "string": {
      const data = h.type === "string" ? utf8Encoder.encode(h.value) : h.value;
      if (data.length > 0xffff) throw new EventStreamError("too_large", "header value exceeds 65535 bytes");
      const b = new Uint8Array(3 + data.length);
      b[0] = h.type === "string" ? typeCodes.string : typeCodes.binary;
      new DataView(b.buffer).setUint16(1, data.length);
      b.set(data, 3);
      return b;
    }
  }
}

/** The string value of a header, or undefined when absent or not a string. */
export function headerString(message: EventStreamMessage, name: string): string | undefined {
  const h = message.headers[name];
  return h?.type === "string" ? h.value : undefined;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

function formatUuid(b: Uint8Array): string {
  const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, "0")}`;
}

/**
 * Incremental Server-Sent Events parser (WHATWG "event stream" grammar).
 * Bytes go in as they arrive; complete events come out. Chunk boundaries may
 * fall anywhere, including inside a CRLF pair or a multi-byte UTF-8 sequence.
 */
export interface SseEvent {
  /** The `event:` field; absent means the default "message" type. */
  event?: string;
  /** `data:` lines joined with "\n". */
  data: string;
  id?: string;
  retry?: number;
}

export interface SseParser {
  /** Feeds bytes (or already-decoded text); returns the events they completed. */
  push(chunk: Uint8Array | string): SseEvent[];
  /**
   * Flushes at end of input. Per the spec an event not terminated by a blank
   * line is discarded; `pendingPartial` tells the caller one was cut off.
   */
  end(): { events: SseEvent[]; pendingPartial: boolean };
}

export function createSseParser(): SseParser {
  const decoder = new TextDecoder("utf-8");
  let buffer = "";
  // A chunk ending in "\r" may be the first half of "\r\n": skip a leading "\n" next time.
  let skipLeadingLf = false;
  let firstChunk = true;
  let dataLines: string[] = [];
  let sawData = false;
  let eventType: string | undefined;
  let lastId: string | undefined;
  let retry: number | undefined;
  let sawAnyField = false;

  function dispatch(out: SseEvent[]): void {
    if (sawData) {
      const ev: SseEvent = { data: dataLines.join("\n") };
      if (eventType !== undefined) ev.event = eventType;
      if (lastId !== undefined) ev.id = lastId;
      if (retry !== undefined) ev.retry = retry;
      out.push(ev);
    }
    dataLines = [];
    sawData = false;
    eventType = undefined;
    retry = undefined;
    sawAnyField = false;
  }

  function processLine(line: string, out: SseEvent[]): void {
    if (line === "") {
      dispatch(out);
      return;
    }
    if (line.startsWith(":")) return; // comment / keep-alive
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    sawAnyField = true;
    switch (field) {
      case "data":
        dataLines.push(value);
        sawData = true;
        break;
      case "event":
        eventType = value;
        break;
      case "id":
        if (!value.includes("\0")) lastId = value;
        break;
      case "retry":
        if (/^\d+$/.test(value)) retry = Number(value);
        break;
      default:
        break; // unknown fields are ignored by the spec
    }
  }

  function drain(out: SseEvent[]): void {
    let start = 0;
    for (let i = 0; i < buffer.length; i++) {
      const ch = buffer.charCodeAt(i);
      if (ch === 10 /* \n */ || ch === 13 /* \r */) {
        processLine(buffer.slice(start, i), out);
        if (ch === 13) {
          if (i + 1 < buffer.length) {
            if (buffer.charCodeAt(i + 1) === 10) i++;
          } else {
            skipLeadingLf = true;
          }
        }
        start = i + 1;
      }
    }
    buffer = buffer.slice(start);
  }

  function feedText(text: string, out: SseEvent[]): void {
    if (text.length === 0) return;
    if (skipLeadingLf) {
      skipLeadingLf = false;
      if (text.charCodeAt(0) === 10) text = text.slice(1);
    }
    if (firstChunk && text.length > 0) {
      firstChunk = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // BOM
    }
    buffer += text;
    drain(out);
  }

  return {
    push(chunk) {
      const out: SseEvent[] = [];
      const text = typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
      feedText(text, out);
      return out;
    },
    end() {
      const out: SseEvent[] = [];
      feedText(decoder.decode(), out);
      const pendingPartial = buffer.length > 0 || sawAnyField;
      buffer = "";
      dataLines = [];
      sawData = false;
      eventType = undefined;
      sawAnyField = false;
      return { events: out, pendingPartial };
    },
  };
}

/** Encodes one SSE event; multi-line data becomes several `data:` lines. */
export function encodeSseEvent(ev: SseEvent): string {
  let s = "";
  if (ev.event !== undefined) s += `event: ${ev.event}\n`;
  if (ev.id !== undefined) s += `id: ${ev.id}\n`;
  if (ev.retry !== undefined) s += `retry: ${ev.retry}\n`;
  for (const line of ev.data.split(/\r\n|\r|\n/)) s += `data: ${line}\n`;
  return s + "\n";
}

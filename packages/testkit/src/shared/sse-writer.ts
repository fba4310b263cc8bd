import type { ServerResponse } from "node:http";
import type { Faults } from "./faults";
import { sleep } from "./server";

export interface SseWriter {
  /** Writes one event; false once the stream was cut by a fault. */
  event(data: unknown, eventName?: string): Promise<boolean>;
  /** The terminal event(s), skipped under the `noTerminal` fault. */
  terminal(data: string | unknown, eventName?: string): Promise<void>;
  end(): void;
  /** Whether a fault already ended the stream. */
  readonly cut: boolean;
}

/**
 * Writes SSE with the stream faults applied: malformed data at event N,
 * disconnect after N events, an in-band error event, a missing terminal event.
 */
export function createSseWriter(
  res: ServerResponse,
  faults: Faults,
  opts: { inBandError?: () => { data: unknown; event?: string }; headers?: Record<string, string> } = {},
): SseWriter {
  res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", connection: "keep-alive", ...opts.headers });
  let count = 0;
  let cut = false;

  const write = (data: string, eventName?: string) => {
    res.write(`${eventName ? `event: ${eventName}\n` : ""}data: ${data}\n\n`);
  };

  const writer: SseWriter = {
    get cut() {
      return cut;
    },
    async event(data, eventName) {
      if (cut) return false;
      if (faults.chunkDelayMs && count > 0) await sleep(faults.chunkDelayMs);
      if (faults.streamErrorAfter !== undefined && count === faults.streamErrorAfter && opts.inBandError) {
        const err = opts.inBandError();
        write(JSON.stringify(err.data), err.event);
        cut = true;
        res.end();
        return false;
      }
      const text = typeof data === "string" ? data : JSON.stringify(data);
      write(faults.malformedChunkAt === count ? `${text.slice(0, Math.max(1, Math.floor(text.length / 2)))}` : text, eventName);
      count++;
      if (faults.disconnectAfterChunks !== undefined && count >= faults.disconnectAfterChunks) {
        cut = true;
        // Let the written bytes leave before the reset so the client sees them.
        await new Promise<void>((r) => res.write("", () => r()));
        res.socket?.destroy();
        return false;
      }
      return true;
    },
    async terminal(data, eventName) {
      if (cut || faults.noTerminal) return;
      if (faults.chunkDelayMs) await sleep(faults.chunkDelayMs);
      write(typeof data === "string" ? data : JSON.stringify(data), eventName);
    },
    end() {
      if (!cut) res.end();
    },
  };
  return writer;
}

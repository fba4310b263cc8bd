import type { ChatChunk } from "@portcullis/core";
import type { StreamEnd } from "../upstream/chat-exchange";

export const sseHeaders = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache",
  connection: "keep-alive",
  "x-accel-buffering": "no",
};

const encoder = new TextEncoder();

/**
 * A response body fed chunk by chunk as the client reads (pull), so nothing is
 * buffered whole and a slow client slows the upstream read. A client that goes away
 * cancels the body, which ends the upstream generator (and cancels the upstream).
 */
export function sseBody(
  chunks: AsyncGenerator<ChatChunk, StreamEnd>,
  encode: (chunk: ChatChunk) => string,
  finish: (end: StreamEnd) => string,
  onClientGone: () => void,
): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        // A pull that enqueues nothing is not called again: keep reading until there is output.
        for (;;) {
          const next = await chunks.next();
          if (next.done) {
            const tail = finish(next.value);
            if (tail) controller.enqueue(encoder.encode(tail));
            controller.close();
            return;
          }
          const text = encode(next.value);
          if (text) {
            controller.enqueue(encoder.encode(text));
            return;
          }
        }
      } catch (e) {
        controller.error(e);
      }
    },
    async cancel() {
      onClientGone();
      await chunks.return({ complete: false });
    },
  });
}

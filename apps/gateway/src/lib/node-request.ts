import type { IncomingMessage, ServerResponse } from "node:http";
import type { Context } from "hono";
import { PortcullisError } from "@portcullis/core";

/**
 * The Node request and response under @hono/node-server (`HttpBindings`). Reading the
 * body or the abort signal through `c.req.raw` makes node-server build a whole web
 * `Request` (headers, AbortController, a web stream over the socket) for every call;
 * the hot path reads them from Node directly and falls back to `c.req.raw` elsewhere
 * (`app.request()` in tests).
 */
interface NodeBindings {
  incoming: IncomingMessage;
  outgoing: ServerResponse;
}

function nodeBindings(c: Context): NodeBindings | undefined {
  const env = c.env as Partial<NodeBindings> | undefined;
  return env?.incoming && env.outgoing && typeof env.incoming.on === "function" ? (env as NodeBindings) : undefined;
}

/** Whether the client went away before its response was complete, and the signal that says so. */
export interface ClientWatch {
  /** Set once the connection closed before the response finished. */
  goneReason: string | undefined;
  controller: AbortController | undefined;
}

/**
 * Watches the response for a close before it finished (the client disconnected), the
 * same rule node-server applies to `c.req.raw.signal`. The AbortController is only
 * made when something asks for the signal.
 */
export function watchClient(c: Context): void {
  const node = nodeBindings(c);
  if (!node) return;
  const watch: ClientWatch = { goneReason: undefined, controller: undefined };
  c.set("clientWatch", watch);
  const { incoming, outgoing } = node;
  outgoing.once("close", () => {
    if (!incoming.errored && outgoing.writableFinished) return;
    watch.goneReason = incoming.errored ? incoming.errored.toString() : "Client connection prematurely closed.";
    watch.controller?.abort(watch.goneReason);
  });
}

/** Aborts when the client disconnects: cancels upstream calls and retry waits. */
export function clientSignal(c: Context): AbortSignal {
  const watch = c.get("clientWatch");
  if (!watch) return c.req.raw.signal;
  if (!watch.controller) {
    watch.controller = new AbortController();
    if (watch.goneReason !== undefined) watch.controller.abort(watch.goneReason);
  }
  return watch.controller.signal;
}

/** True once the client disconnected, without making a signal. */
export function clientGone(c: Context): boolean {
  const watch = c.get("clientWatch");
  return watch ? watch.goneReason !== undefined : c.req.raw.signal.aborted;
}

const tooLarge = (limit: number) => new PortcullisError({ code: "payload_too_large", message: `request body exceeds ${limit} bytes` });

function readIncoming(incoming: IncomingMessage, limit: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    const done = () => {
      incoming.off("data", onData);
      incoming.off("end", onEnd);
      incoming.off("error", onError);
      incoming.off("close", onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > limit) {
        done();
        // Stop reading; node-server drains (bounded) what is left once the 413 is written.
        incoming.pause();
        reject(tooLarge(limit));
        return;
      }
      parts.push(chunk);
    };
    const onEnd = () => {
      done();
      resolve(parts.length === 1 ? parts[0]! : Buffer.concat(parts, size));
    };
    const onError = (e: Error) => {
      done();
      reject(e);
    };
    const onClose = () => {
      if (incoming.readableEnded) return onEnd();
      done();
      reject(incoming.errored ?? new Error("Client connection prematurely closed."));
    };
    incoming.on("data", onData);
    incoming.on("end", onEnd);
    incoming.on("error", onError);
    incoming.on("close", onClose);
  });
}

async function readWebStream(body: ReadableStream<Uint8Array> | null, limit: number): Promise<Uint8Array> {
  if (!body) return new Uint8Array();
  const reader = body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge(limit);
    }
    parts.push(value);
  }
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/** The whole request body, refusing more than `limit` bytes. */
export function readRequestBody(c: Context, limit: number): Promise<Uint8Array> {
  const node = nodeBindings(c);
  if (!node) return readWebStream(c.req.raw.body, limit);
  const { incoming } = node;
  if (incoming.readableEnded) return Promise.resolve(new Uint8Array());
  return readIncoming(incoming, limit);
}

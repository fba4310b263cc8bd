import type { Context } from "hono";
import { PortcullisError } from "@portcullis/core";
import { normalizeOpenAiUsage, type NormalizedUsage } from "@portcullis/policy";
import type { StreamDecoder, UpstreamRequest, UpstreamResponse } from "@portcullis/providers";
import { respond } from "../lib/respond";
import type { AttemptAdmission } from "./chat-exchange";
import { beforeFirstToken, readUpstreamJson } from "./send";
import type { RequestTrace } from "./trace";

/**
 * Native passthrough (Anthropic -> Anthropic, Responses -> OpenAI family): the upstream's
 * bytes go to the client unchanged while a decoder watches them for usage and for the
 * terminal event, so a streamed call is billed like a non-streamed one and a broken
 * stream is reported, never passed off as a success.
 */
export interface PassthroughOptions {
  res: UpstreamResponse;
  up: UpstreamRequest;
  admission: AttemptAdmission;
  trace: RequestTrace;
  provider: string;
  /** Usage of a non-streamed JSON body. */
  usageOfJson(body: unknown): NormalizedUsage | undefined;
  /** Watches a stream; undefined for non-streamed requests. */
  watcher?: StreamDecoder;
  /** The event appended when the upstream stream ends before its terminal event. */
  incompleteEvent(err: PortcullisError): string;
}

const encoder = new TextEncoder();

export async function passthrough(c: Context, o: PassthroughOptions): Promise<Response> {
  const headers = { ...o.admission.headers, "content-type": o.res.headers.get("content-type") ?? "application/json" };
  if (!o.up.stream || !o.watcher) {
    try {
      const bytes = await readUpstreamJson(o.res);
      let usage: NormalizedUsage | undefined;
      try {
        const json: unknown = JSON.parse(new TextDecoder().decode(bytes));
        o.trace.responseBody(json);
        usage = o.usageOfJson(json);
      } catch {
        usage = undefined;
      }
      await o.admission.settle(usage);
      o.trace.finish(200, "success");
      return respond(c, bytes, 200, headers);
    } catch (e) {
      await o.admission.settle(undefined);
      throw e;
    }
  }
  const watcher = o.watcher;
  const iterator = o.res.body[Symbol.asyncIterator]();
  const settleOnce = async () => {
    const u = watcher.usage();
    await o.admission.settle(u ? normalizeOpenAiUsage(u) : undefined);
  };
  // Hold the bytes back until the first decoded event: a stream that breaks before then has sent
  // the client nothing and may be retried elsewhere.
  const held: Uint8Array[] = [];
  try {
    for (;;) {
      const next = await iterator.next();
      // Ended before a single event: nothing worth sending.
      if (next.done) throw beforeFirstToken(undefined, o.provider);
      held.push(next.value);
      const chunks = watcher.push(next.value);
      for (const chunk of chunks) o.trace.streamChunk(chunk);
      if (chunks.length) break;
    }
  } catch (e) {
    o.res.cancel();
    await settleOnce();
    throw beforeFirstToken(e instanceof PortcullisError ? e : undefined, o.provider);
  }
  o.trace.firstToken();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (held.length) {
        controller.enqueue(held.shift()!);
        return;
      }
      try {
        const next = await iterator.next();
        if (!next.done) {
          const chunks = watcher.push(next.value);
          for (const chunk of chunks) o.trace.streamChunk(chunk);
          if (chunks.length) o.trace.firstToken();
          controller.enqueue(next.value);
          return;
        }
        const end = watcher.end();
        for (const chunk of end.chunks) o.trace.streamChunk(chunk);
        await settleOnce();
        if (end.complete) o.trace.finish(200, "success");
        else {
          const err = new PortcullisError({ code: "stream_incomplete", message: end.error?.message ?? "the upstream ended the stream before its terminal event" });
          o.trace.finish(200, "incomplete", err.code);
          controller.enqueue(encoder.encode(o.incompleteEvent(err)));
        }
        controller.close();
      } catch (e) {
        const err = e instanceof PortcullisError ? e : new PortcullisError({ code: "stream_incomplete", message: "upstream stream broke", cause: e });
        await settleOnce();
        o.trace.finish(200, "incomplete", err.code);
        controller.enqueue(encoder.encode(o.incompleteEvent(err)));
        controller.close();
      }
    },
    async cancel() {
      o.res.cancel();
      await settleOnce();
      o.trace.finish(499, "incomplete", "stream_incomplete");
    },
  });
  return respond(c, body, 200, { ...headers, "cache-control": "no-cache", "x-accel-buffering": "no" });
}

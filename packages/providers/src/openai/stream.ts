import type { ChatChunk, Usage } from "@portcullis/core";
import { createSseParser, type SseEvent } from "../shared/sse";
import { isRecord } from "../shared/http";
import { normalizeOpenAiUsage, usageOnlyChunk } from "../shared/usage";
import type { StreamDecoder, UpstreamError } from "../types";
import { normalizeReasoning } from "./chat";
import { errorFromObject } from "./errors";

export interface OpenAiStreamOptions {
  /** Emit the usage-only chunk (the client sent `stream_options.include_usage: true`). */
  includeUsage: boolean;
}

/**
 * Chat Completions SSE: `data: {chunk}` events ending with `data: [DONE]`.
 * Usage is always captured for billing. It reaches the client only as one
 * final usage-only chunk, and only if the client asked, whether the upstream
 * sent it that way (OpenAI), on the last content chunk (Mistral) or under
 * `x_groq` (Groq).
 */
export function createOpenAiStreamDecoder(opts: OpenAiStreamOptions): StreamDecoder {
  const sse = createSseParser();
  let usage: Usage | undefined;
  let usageEmitted = false;
  let last: Pick<ChatChunk, "id" | "created" | "model"> | undefined;
  let done = false;
  let error: UpstreamError | undefined;

  function takeUsage(obj: Record<string, unknown>): Usage | undefined {
    const xGroq = obj["x_groq"];
    const raw = isRecord(obj["usage"]) ? obj["usage"] : isRecord(xGroq) && isRecord(xGroq["usage"]) ? xGroq["usage"] : undefined;
    return raw ? normalizeOpenAiUsage(raw) : undefined;
  }

  function flushUsage(out: ChatChunk[]): void {
    if (opts.includeUsage && usage && last && !usageEmitted) {
      out.push(usageOnlyChunk(last, usage));
      usageEmitted = true;
    }
  }

  function handle(ev: SseEvent, out: ChatChunk[]): void {
    if (done || error) return;
    const data = ev.data.trim();
    if (data === "") return;
    if (data === "[DONE]") {
      flushUsage(out);
      done = true;
      return;
    }
    let obj: unknown;
    try {
      obj = JSON.parse(data);
    } catch {
      error = { status: 502, type: "malformed_chunk", message: "upstream sent a stream chunk that is not JSON" };
      return;
    }
    if (!isRecord(obj)) {
      error = { status: 502, type: "malformed_chunk", message: "upstream sent a stream chunk that is not an object" };
      return;
    }
    if (obj["error"] !== undefined || ev.event === "error") {
      const inner = isRecord(obj["error"]) ? obj["error"] : obj;
      const status = typeof inner["code"] === "number" && inner["code"] >= 400 ? inner["code"] : 502;
      error = errorFromObject(status, obj, "upstream reported an error mid-stream");
      return;
    }
    if (!Array.isArray(obj["choices"])) {
      error = { status: 502, type: "malformed_chunk", message: "upstream sent a stream chunk without choices" };
      return;
    }
    const chunkUsage = takeUsage(obj);
    if (chunkUsage) usage = chunkUsage;
    delete obj["x_groq"];
    for (const choice of obj["choices"]) {
      if (isRecord(choice) && isRecord(choice["delta"])) normalizeReasoning(choice["delta"]);
    }
    // Shape checked above; the chunk is the upstream's own OpenAI-format object.
    const chunk = obj as unknown as ChatChunk;
    last = { id: chunk.id, created: chunk.created, model: chunk.model };
    if (chunk.choices.length === 0) {
      if (chunkUsage) flushUsage(out);
      return;
    }
    if (!opts.includeUsage) delete chunk.usage;
    else if (chunkUsage) chunk.usage = null;
    out.push(chunk);
  }

  return {
    push(bytes) {
      const out: ChatChunk[] = [];
      for (const ev of sse.push(bytes)) handle(ev, out);
      return out;
    },
    end() {
      const chunks: ChatChunk[] = [];
      for (const ev of sse.end().events) handle(ev, chunks);
      if (error) return { chunks, complete: false, error };
      return { chunks, complete: done };
    },
    usage: () => usage,
  };
}

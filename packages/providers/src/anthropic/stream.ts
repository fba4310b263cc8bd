import type { ChatChunk, ChunkDelta, FinishReason, MessageStreamEvent, Usage } from "@portcullis/core";
import { isRecord } from "../shared/http";
import { createSseParser, type SseEvent } from "../shared/sse";
import { usageOnlyChunk } from "../shared/usage";
import type { StreamDecoder, UpstreamError } from "../types";
import { anthropicErrorFromObject } from "./errors";
import { anthropicUsageToCanonical, stopReasonToFinishReason } from "./from-anthropic";

export interface AnthropicStreamOptions {
  created: number;
  /** Emit the final usage-only chunk (the client asked with `stream_options.include_usage`). */
  includeUsage: boolean;
}

interface UsageState {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens?: number;
  cache_creation_input_tokens?: number;
}

/**
 * Anthropic Messages SSE -> canonical chunks. `message_start` opens the turn
 * (role chunk), text/thinking/tool_use blocks become content, reasoning and
 * tool_call deltas (tool index counted per tool_use block), `message_delta`
 * carries the stop reason and output usage, `message_stop` is the terminal event.
 */
export function createAnthropicStreamDecoder(opts: AnthropicStreamOptions): StreamDecoder {
  const sse = createSseParser();
  const toolIndexByBlock = new Map<number, number>();
  let id = "";
  let model = "";
  let usage: UsageState | undefined;
  let done = false;
  let error: UpstreamError | undefined;

  const chunk = (delta: ChunkDelta, finish: FinishReason | null = null): ChatChunk => ({
    id, object: "chat.completion.chunk", created: opts.created, model, choices: [{ index: 0, delta, finish_reason: finish }],
  });

  function mergeUsage(u: Record<string, unknown>): void {
    const next: UsageState = usage ?? { input_tokens: 0, output_tokens: 0 };
    for (const key of ["input_tokens", "output_tokens", "cache_read_input_tokens", "cache_creation_input_tokens"] as const) {
      const v = u[key];
      if (typeof v === "number") next[key] = v;
    }
    usage = next;
  }

  function handle(ev: SseEvent, out: ChatChunk[]): void {
    if (done || error) return;
    let obj: unknown;
    try {
      obj = JSON.parse(ev.data);
    } catch {
      error = { status: 502, type: "malformed_chunk", message: "Anthropic sent a stream event that is not JSON" };
      return;
    }
    if (!isRecord(obj) || typeof obj["type"] !== "string") {
      error = { status: 502, type: "malformed_chunk", message: "Anthropic sent a stream event without a type" };
      return;
    }
    // Shape narrowed by `type` below; unknown event types are skipped for forward compatibility.
    const e = obj as unknown as MessageStreamEvent;
    switch (e.type) {
      case "message_start":
        id = e.message.id;
        model = e.message.model;
        if (isRecord(e.message.usage)) mergeUsage(e.message.usage as unknown as Record<string, unknown>);
        out.push(chunk({ role: "assistant", content: "" }));
        return;
      case "content_block_start": {
        const b = e.content_block;
        if (b.type === "text" && b.text) out.push(chunk({ content: b.text }));
        else if (b.type === "thinking" && b.thinking) out.push(chunk({ reasoning_content: b.thinking }));
        else if (b.type === "tool_use") {
          const index = toolIndexByBlock.size;
          toolIndexByBlock.set(e.index, index);
          out.push(chunk({ tool_calls: [{ index, id: b.id, type: "function", function: { name: b.name, arguments: "" } }] }));
        }
        return;
      }
      case "content_block_delta": {
        const d = e.delta;
        if (d.type === "text_delta") out.push(chunk({ content: d.text }));
        else if (d.type === "thinking_delta") out.push(chunk({ reasoning_content: d.thinking }));
        else if (d.type === "input_json_delta") {
          const index = toolIndexByBlock.get(e.index);
          if (index !== undefined && d.partial_json !== "") out.push(chunk({ tool_calls: [{ index, function: { arguments: d.partial_json } }] }));
        }
        return;
      }
      case "message_delta":
        if (isRecord(e.usage)) mergeUsage(e.usage as unknown as Record<string, unknown>);
        if (e.delta.stop_reason) out.push(chunk({}, stopReasonToFinishReason(e.delta.stop_reason)));
        return;
      case "message_stop":
        done = true;
        if (opts.includeUsage && usage) out.push(usageOnlyChunk({ id, created: opts.created, model }, anthropicUsageToCanonical(usage)));
        return;
      case "error":
        error = anthropicErrorFromObject(undefined, obj, "Anthropic reported an error mid-stream");
        return;
      default:
        return; // ping, content_block_stop, future events
    }
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
    usage: (): Usage | undefined => (usage ? anthropicUsageToCanonical(usage) : undefined),
  };
}

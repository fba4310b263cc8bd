/**
 * ConverseStream decoder: AWS event-stream frames in, canonical chunks out.
 * The stream is complete only after both `messageStop` and `metadata`
 * (which carries the usage) arrived. Exception frames and corrupt frames end
 * decoding; the error is reported by `end()`.
 */
import type { ChatChunk, ChunkDelta, Usage } from "@portcullis/core";
import { createEventStreamDecoder, EventStreamError, headerString, type EventStreamMessage } from "../aws/event-stream";
import type { StreamDecoder, UpstreamError } from "../types";
import type { ConverseStreamEvents } from "./converse-types";
import { bedrockStreamException } from "./errors";
import { mapConverseUsage, mapConverseStopReason, type ResponseIdentity } from "./response";

export interface ConverseStreamOptions {
  identity: ResponseIdentity;
  /** Emit a final usage-only chunk (OpenAI's `stream_options.include_usage`). */
  includeUsage: boolean;
}

function corruptStream(e: EventStreamError): UpstreamError {
  return { status: 502, type: `event_stream_${e.kind}`, message: e.message };
}

export function createConverseStreamDecoder(opts: ConverseStreamOptions): StreamDecoder {
  const frames = createEventStreamDecoder();
  const toolIndexByBlock = new Map<number, number>();
  let usage: Usage | undefined;
  let sawStop = false;
  let sawMetadata = false;
  let error: UpstreamError | undefined;

  const chunk = (delta: ChunkDelta, finish: ChatChunk["choices"][number]["finish_reason"] = null): ChatChunk => ({
    id: opts.identity.id,
    object: "chat.completion.chunk",
    created: opts.identity.created,
    model: opts.identity.model,
    choices: [{ index: 0, delta, finish_reason: finish }],
  });

  function handle(frame: EventStreamMessage, out: ChatChunk[]): void {
    const messageType = headerString(frame, ":message-type");
    if (messageType === "exception") {
      error = bedrockStreamException(headerString(frame, ":exception-type") ?? "unknownException", frame.payload);
      return;
    }
    if (messageType === "error") {
      error = {
        status: 502,
        type: headerString(frame, ":error-code") ?? "StreamError",
        message: headerString(frame, ":error-message") ?? "bedrock stream error",
      };
      return;
    }
    const eventType = headerString(frame, ":event-type");
    const payload = JSON.parse(new TextDecoder().decode(frame.payload)) as unknown;
    switch (eventType) {
      case "messageStart":
        out.push(chunk({ role: "assistant", content: "" }));
        break;
      case "contentBlockStart": {
        const e = payload as ConverseStreamEvents["contentBlockStart"];
        if (e.start?.toolUse) {
          const index = toolIndexByBlock.size;
          toolIndexByBlock.set(e.contentBlockIndex, index);
          out.push(chunk({
            tool_calls: [{ index, id: e.start.toolUse.toolUseId, type: "function", function: { name: e.start.toolUse.name, arguments: "" } }],
          }));
        }
        break;
      }
      case "contentBlockDelta": {
        const e = payload as ConverseStreamEvents["contentBlockDelta"];
        if (e.delta.text !== undefined) out.push(chunk({ content: e.delta.text }));
        else if (e.delta.toolUse) {
          const index = toolIndexByBlock.get(e.contentBlockIndex) ?? 0;
          out.push(chunk({ tool_calls: [{ index, function: { arguments: e.delta.toolUse.input } }] }));
        } else if (e.delta.reasoningContent?.text !== undefined) {
          out.push(chunk({ reasoning_content: e.delta.reasoningContent.text }));
        }
        break;
      }
      case "messageStop": {
        const e = payload as ConverseStreamEvents["messageStop"];
        sawStop = true;
        out.push(chunk({}, mapConverseStopReason(e.stopReason)));
        break;
      }
      case "metadata": {
        const e = payload as ConverseStreamEvents["metadata"];
        sawMetadata = true;
        if (e.usage) {
          usage = mapConverseUsage(e.usage);
          if (opts.includeUsage) {
            out.push({ id: opts.identity.id, object: "chat.completion.chunk", created: opts.identity.created, model: opts.identity.model, choices: [], usage });
          }
        }
        break;
      }
      default:
        break; // contentBlockStop and future event types carry nothing for the client
    }
  }

  return {
    push(bytes) {
      if (error) return [];
      const out: ChatChunk[] = [];
      try {
        for (const frame of frames.push(bytes)) {
          handle(frame, out);
          if (error) break;
        }
      } catch (e) {
        error = e instanceof EventStreamError
          ? corruptStream(e)
          : { status: 502, type: "invalid_stream_payload", message: `bedrock stream payload: ${(e as Error).message}` };
      }
      // Frames decoded before a corrupt one are delivered; the corruption still ends the stream.
      const failure = frames.failure();
      if (!error && failure) error = corruptStream(failure);
      return out;
    },
    end() {
      if (!error && frames.pendingBytes() > 0) {
        return { chunks: [], complete: false, error: { status: 502, type: "event_stream_truncated", message: `bedrock stream ended inside a frame (${frames.pendingBytes()} bytes pending)` } };
      }
      const result: ReturnType<StreamDecoder["end"]> = { chunks: [], complete: !error && sawStop && sawMetadata };
      if (error) result.error = error;
      return result;
    },
    usage() {
      return usage;
    },
  };
}

/**
 * `streamGenerateContent?alt=sse` decoder: each SSE `data:` is a whole
 * GenerateContentResponse. The stream is complete once every candidate seen
 * has a `finishReason`; an `{"error": ...}` event ends it with an error.
 */
import type { ChatChunk, ChunkDelta, FinishReason, Usage } from "@portcullis/core";
import { createSseParser, type SseEvent } from "../shared/sse";
import type { StreamDecoder, UpstreamError } from "../types";
import { googleErrorOf } from "./errors";
import type { GenerateContentResponse } from "./gemini-types";
import { candidateText, candidateToolCalls, mapGeminiFinishReason, mapGeminiUsage, type ResponseIdentity } from "./response";

export interface GeminiStreamOptions {
  identity: ResponseIdentity;
  includeUsage: boolean;
}

interface CandidateState {
  started: boolean;
  toolCalls: number;
  finished: boolean;
}

export function createGeminiStreamDecoder(opts: GeminiStreamOptions): StreamDecoder {
  const sse = createSseParser();
  const candidates = new Map<number, CandidateState>();
  let model = opts.identity.model;
  let usage: Usage | undefined;
  let error: UpstreamError | undefined;

  const chunk = (index: number, delta: ChunkDelta, finish: FinishReason | null = null): ChatChunk => ({
    id: opts.identity.id,
    object: "chat.completion.chunk",
    created: opts.identity.created,
    model,
    choices: [{ index, delta, finish_reason: finish }],
  });

  function handle(ev: SseEvent, out: ChatChunk[]): void {
    if (ev.data.trim() === "") return;
    let res: GenerateContentResponse;
    try {
      res = JSON.parse(ev.data) as GenerateContentResponse;
    } catch {
      error = { status: 502, type: "invalid_stream_payload", message: "gemini stream event is not JSON" };
      return;
    }
    const e = googleErrorOf(res);
    if (e) {
      error = { status: e.code || 502, type: e.status ?? "stream_error", message: e.message };
      return;
    }
    if (res.modelVersion) model = res.modelVersion;
    if (res.usageMetadata) usage = mapGeminiUsage(res.usageMetadata);
    if (!res.candidates?.length && res.promptFeedback?.blockReason) {
      out.push(chunk(0, { role: "assistant", content: "", refusal: res.promptFeedback.blockReasonMessage ?? res.promptFeedback.blockReason }, "content_filter"));
      candidates.set(0, { started: true, toolCalls: 0, finished: true });
    }
    let finishedNow = false;
    (res.candidates ?? []).forEach((c, i) => {
      const index = c.index ?? i;
      const state = candidates.get(index) ?? { started: false, toolCalls: 0, finished: false };
      candidates.set(index, state);
      const delta: ChunkDelta = {};
      if (!state.started) {
        delta.role = "assistant";
        state.started = true;
      }
      const { text, thoughts } = candidateText(c);
      if (thoughts) delta.reasoning_content = thoughts;
      if (text) delta.content = text;
      const calls = candidateToolCalls({ ...c, index }, opts.identity.toolCallPrefix, state.toolCalls);
      if (calls.length > 0) {
        delta.tool_calls = calls.map((call, k) => ({ index: state.toolCalls + k, ...call }));
        state.toolCalls += calls.length;
      }
      if (Object.keys(delta).length > 0) out.push(chunk(index, delta));
      if (c.finishReason && !state.finished) {
        state.finished = true;
        finishedNow = true;
        out.push(chunk(index, {}, mapGeminiFinishReason(c.finishReason, state.toolCalls > 0)));
      }
    });
    // The finishing event carries the final usageMetadata: emit it right after the finish chunk(s).
    if (finishedNow && opts.includeUsage && usage && allFinished()) {
      out.push({ id: opts.identity.id, object: "chat.completion.chunk", created: opts.identity.created, model, choices: [], usage });
    }
  }

  function allFinished(): boolean {
    if (candidates.size === 0) return false;
    for (const s of candidates.values()) if (!s.finished) return false;
    return true;
  }

  function feed(events: SseEvent[]): ChatChunk[] {
    const out: ChatChunk[] = [];
    for (const ev of events) {
      if (error) break;
      handle(ev, out);
    }
    return out;
  }

  return {
    push(bytes) {
      if (error) return [];
      return feed(sse.push(bytes));
    },
    end() {
      const tail = sse.end();
      const chunks = error ? [] : feed(tail.events);
      const result: ReturnType<StreamDecoder["end"]> = { chunks, complete: !error && allFinished() };
      if (error) result.error = error;
      return result;
    },
    usage() {
      return usage;
    },
  };
}

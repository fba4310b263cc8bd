import type { ChatChunk, ContentBlock, ContentBlockDelta, MessageStreamEvent, Usage } from "@portcullis/core";
import { canonicalUsageToAnthropic, finishReasonToStopReason, anthropicMessageId } from "./inbound-response";

export interface AnthropicStreamEncoderOptions {
  /** Model name to report (the one the client asked for). */
  model: string;
  /** Message id; taken from the first chunk when absent. */
  id?: string;
  /** Input tokens known before the upstream reports them (e.g. a local count). */
  inputTokens?: number;
}

export interface AnthropicStreamEncoder {
  /** SSE text for one canonical chunk (possibly empty). */
  push(chunk: ChatChunk): string;
  /** Closes the open block and emits message_delta + message_stop. */
  end(): string;
  /** An `error` event, for failures after the stream has started. */
  error(type: string, message: string): string;
  /** A keep-alive `ping` event. */
  ping(): string;
}

type OpenBlock = { kind: "text" } | { kind: "thinking" } | { kind: "tool"; toolIndex: number };

function sse(ev: MessageStreamEvent): string {
  return `event: ${ev.type}\ndata: ${JSON.stringify(ev)}\n\n`;
}

/**
 * Canonical chunks -> Anthropic SSE. Blocks are opened lazily and numbered in
 * order: switching between reasoning, text and a tool call closes the open
 * block and opens the next index, so `content_block_*` indexes match what an
 * Anthropic client accumulates.
 */
export function createAnthropicStreamEncoder(opts: AnthropicStreamEncoderOptions): AnthropicStreamEncoder {
  let started = false;
  let ended = false;
  let id = opts.id;
  let nextIndex = 0;
  let open: (OpenBlock & { index: number }) | undefined;
  const blockOfTool = new Map<number, number>();
  let stopReason = finishReasonToStopReason(null);
  let sawFinish = false;
  let usage: Usage | undefined;

  function start(chunk?: ChatChunk): string {
    if (started) return "";
    started = true;
    id = anthropicMessageId(id ?? chunk?.id ?? "portcullis");
    return sse({
      type: "message_start",
      message: {
        id, type: "message", role: "assistant", model: opts.model, content: [], stop_reason: null, stop_sequence: null,
        usage: { input_tokens: opts.inputTokens ?? 0, output_tokens: 0 },
      },
    });
  }

  function close(): string {
    if (!open) return "";
    const out = sse({ type: "content_block_stop", index: open.index });
    open = undefined;
    return out;
  }

  /** Closes the open block, opens the next index; returns the events and the new index. */
  function openBlock(block: OpenBlock, content: ContentBlock): [string, number] {
    const out = close();
    const index = nextIndex++;
    open = { ...block, index };
    return [out + sse({ type: "content_block_start", index, content_block: content }), index];
  }

  function ensureOpen(kind: "text" | "thinking"): [string, number] {
    if (open && open.kind === kind) return ["", open.index];
    return openBlock({ kind }, kind === "text" ? { type: "text", text: "" } : { type: "thinking", thinking: "", signature: "" });
  }

  const delta = (index: number, d: ContentBlockDelta) => sse({ type: "content_block_delta", index, delta: d });

  return {
    push(chunk) {
      if (ended) return "";
      let out = start(chunk);
      if (chunk.usage) usage = chunk.usage;
      const choice = chunk.choices.find((c) => c.index === 0);
      if (!choice) return out;
      const d = choice.delta;
      if (d.reasoning_content) {
        const [events, index] = ensureOpen("thinking");
        out += events + delta(index, { type: "thinking_delta", thinking: d.reasoning_content });
      }
      if (typeof d.content === "string" && d.content !== "") {
        const [events, index] = ensureOpen("text");
        out += events + delta(index, { type: "text_delta", text: d.content });
      }
      for (const tc of d.tool_calls ?? []) {
        let index = blockOfTool.get(tc.index);
        if (index === undefined) {
          const [events, opened] = openBlock({ kind: "tool", toolIndex: tc.index }, {
            type: "tool_use", id: tc.id ?? `toolu_${id ?? ""}_${tc.index}`, name: tc.function?.name ?? "", input: {},
          });
          out += events;
          index = opened;
          blockOfTool.set(tc.index, index);
        }
        const args = tc.function?.arguments;
        if (args) out += delta(index, { type: "input_json_delta", partial_json: args });
      }
      if (choice.finish_reason) {
        stopReason = finishReasonToStopReason(choice.finish_reason);
        sawFinish = true;
      }
      return out;
    },
    end() {
      if (ended) return "";
      ended = true;
      let out = start() + close();
      const u = canonicalUsageToAnthropic(usage);
      out += sse({
        type: "message_delta",
        delta: { stop_reason: sawFinish ? stopReason : "end_turn", stop_sequence: null },
        usage: {
          output_tokens: u.output_tokens,
          ...(usage ? { input_tokens: u.input_tokens, cache_creation_input_tokens: u.cache_creation_input_tokens, cache_read_input_tokens: u.cache_read_input_tokens } : {}),
        },
      });
      return out + sse({ type: "message_stop" });
    },
    error(type, message) {
      ended = true;
      return sse({ type: "error", error: { type, message } });
    },
    ping: () => sse({ type: "ping" }),
  };
}

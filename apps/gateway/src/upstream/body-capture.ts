import type { ChatChunk, FinishReason } from "@portcullis/core";

/**
 * Request/response bodies in the request log. Off unless the operator turns them on for the
 * deployment (`on`) or lets keys opt in (`per_key`: keys whose metadata has `log_bodies: true`).
 * They are redacted and capped when the request finishes (see RequestTrace).
 */
export type BodyLoggingMode = "off" | "on" | "per_key";

export interface BodyLoggingOptions {
  mode: BodyLoggingMode;
  /** Cap per body, as stored JSON (UTF-8 bytes). */
  maxBytes: number;
}

export const defaultBodyLogging: BodyLoggingOptions = { mode: "off", maxBytes: 32 * 1024 };

/** The key metadata field a key opts in with, under `per_key`. */
export const bodyLoggingMetadataKey = "log_bodies";

export function logsBodies(opts: BodyLoggingOptions, keyMetadata: Record<string, unknown> | undefined): boolean {
  if (opts.mode === "on") return true;
  if (opts.mode === "off") return false;
  const v = keyMetadata?.[bodyLoggingMetadataKey];
  return v === true || v === "true";
}

interface AssembledChoice {
  index: number;
  content: string;
  reasoning: string;
  refusal: string;
  toolCalls: Map<number, { id?: string; name: string; arguments: string }>;
  finishReason: FinishReason | null;
}

/**
 * Turns a chat stream back into the message it carried (text, reasoning, tool calls), as a
 * non-streamed response would have held it: the log keeps what was said, not SSE framing.
 * Stops taking text after `limitChars`, which the cap would cut anyway.
 */
export class StreamAssembler {
  private readonly choices = new Map<number, AssembledChoice>();
  private chars = 0;
  private cut = false;
  private model: string | undefined;

  constructor(private readonly limitChars: number) {}

  push(chunk: ChatChunk): void {
    this.model ??= chunk.model || undefined;
    for (const ch of chunk.choices) {
      let a = this.choices.get(ch.index);
      if (!a) {
        a = { index: ch.index, content: "", reasoning: "", refusal: "", toolCalls: new Map(), finishReason: null };
        this.choices.set(ch.index, a);
      }
      const d = ch.delta;
      if (d.content) a.content += this.take(d.content);
      if (d.reasoning_content) a.reasoning += this.take(d.reasoning_content);
      if (d.refusal) a.refusal += this.take(d.refusal);
      for (const tc of d.tool_calls ?? []) {
        const call = a.toolCalls.get(tc.index) ?? { name: "", arguments: "" };
        if (tc.id) call.id = tc.id;
        if (tc.function?.name) call.name += tc.function.name;
        if (tc.function?.arguments) call.arguments += this.take(tc.function.arguments);
        a.toolCalls.set(tc.index, call);
      }
      if (ch.finish_reason) a.finishReason = ch.finish_reason;
    }
  }

  private take(s: string): string {
    const room = this.limitChars - this.chars;
    if (room <= 0) {
      this.cut = true;
      return "";
    }
    if (s.length > room) this.cut = true;
    const part = s.length > room ? s.slice(0, room) : s;
    this.chars += part.length;
    return part;
  }

  /** Undefined when the stream carried no choice at all. */
  result(): Record<string, unknown> | undefined {
    if (!this.choices.size) return undefined;
    const choices = [...this.choices.values()].sort((x, y) => x.index - y.index).map((a) => ({
      index: a.index,
      message: {
        role: "assistant",
        content: a.content || null,
        ...(a.reasoning ? { reasoning_content: a.reasoning } : {}),
        ...(a.refusal ? { refusal: a.refusal } : {}),
        ...(a.toolCalls.size
          ? { tool_calls: [...a.toolCalls.entries()].sort(([x], [y]) => x - y).map(([, c]) => ({ id: c.id ?? null, type: "function", function: { name: c.name, arguments: c.arguments } })) }
          : {}),
      },
      finish_reason: a.finishReason,
    }));
    return { object: "chat.completion.stream", ...(this.model ? { model: this.model } : {}), choices, ...(this.cut ? { cut: true } : {}) };
  }
}

import type { AnthropicUsage, ChatResponse, ContentBlock, FinishReason, MessagesResponse, StopReason, Usage } from "@portcullis/core";

export function finishReasonToStopReason(reason: FinishReason | null | undefined): StopReason {
  switch (reason) {
    case "length":
      return "max_tokens";
    case "tool_calls":
    case "function_call":
      return "tool_use";
    case "content_filter":
      return "refusal";
    default:
      return "end_turn";
  }
}

/** Canonical usage -> Anthropic's split: uncached input, cache reads, cache writes. */
export function canonicalUsageToAnthropic(u: Usage | null | undefined): AnthropicUsage {
  const cached = u?.prompt_tokens_details?.cached_tokens ?? 0;
  const written = u?.prompt_tokens_details?.cache_write_tokens ?? 0;
  return {
    input_tokens: Math.max(0, (u?.prompt_tokens ?? 0) - cached - written),
    output_tokens: u?.completion_tokens ?? 0,
    cache_creation_input_tokens: written,
    cache_read_input_tokens: cached,
  };
}

/** Arguments a model produced that are not a JSON object still have to be an object on Anthropic's wire. */
export function parseToolInput(args: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(args === "" ? "{}" : args);
    if (typeof v === "object" && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // the raw text is kept below
  }
  return { _raw_arguments: args };
}

export function anthropicMessageId(id: string): string {
  return id.startsWith("msg_") ? id : `msg_${id.replace(/^chatcmpl-/, "")}`;
}

/** Canonical response -> Anthropic Message for the inbound `/v1/messages` surface. */
export function canonicalResponseToAnthropic(res: ChatResponse, opts: { model?: string } = {}): MessagesResponse {
  const choice = res.choices[0];
  const msg = choice?.message;
  const content: ContentBlock[] = [];
  if (msg?.reasoning_content) content.push({ type: "thinking", thinking: msg.reasoning_content, signature: "" });
  const text = typeof msg?.content === "string" ? msg.content : (msg?.content ?? []).map((p) => (p.type === "text" ? p.text : "")).join("");
  if (text !== "") content.push({ type: "text", text });
  for (const tc of msg?.tool_calls ?? []) {
    content.push({ type: "tool_use", id: tc.id, name: tc.function.name, input: parseToolInput(tc.function.arguments) });
  }
  return {
    id: anthropicMessageId(res.id),
    type: "message",
    role: "assistant",
    model: opts.model ?? res.model,
    content,
    stop_reason: finishReasonToStopReason(choice?.finish_reason),
    stop_sequence: null,
    usage: canonicalUsageToAnthropic(res.usage),
  };
}

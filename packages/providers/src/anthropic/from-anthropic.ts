import { PortcullisError, type ChatResponse, type FinishReason, type ToolCall, type Usage } from "@portcullis/core";
import type { AnthropicUsage, MessageDeltaUsage, MessagesResponse, StopReason } from "@portcullis/core";
import { isRecord, parseUpstreamJson } from "../shared/http";

export function stopReasonToFinishReason(reason: StopReason | string | null | undefined): FinishReason | null {
  switch (reason) {
    case null:
    case undefined:
      return null;
    case "max_tokens":
    case "model_context_window_exceeded":
      return "length";
    case "tool_use":
      return "tool_calls";
    case "refusal":
      return "content_filter";
    default:
      // end_turn, stop_sequence, pause_turn and future reasons: the turn ended normally.
      return "stop";
  }
}

/**
 * Anthropic reports uncached input, cache reads and cache writes separately;
 * canonical `prompt_tokens` is the total input, with the cached parts detailed.
 */
export function anthropicUsageToCanonical(u: Partial<AnthropicUsage> | MessageDeltaUsage): Usage {
  const input = u.input_tokens ?? 0;
  const cacheRead = u.cache_read_input_tokens ?? undefined;
  const cacheWrite = u.cache_creation_input_tokens ?? undefined;
  const prompt = input + (cacheRead ?? 0) + (cacheWrite ?? 0);
  const completion = u.output_tokens ?? 0;
  const usage: Usage = { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
  if (cacheRead !== undefined || cacheWrite !== undefined) {
    usage.prompt_tokens_details = { cached_tokens: cacheRead ?? 0, cache_write_tokens: cacheWrite ?? 0 };
  }
  return usage;
}

export interface ResponseIdentity {
  created: number;
}

export function anthropicResponseToCanonical(res: MessagesResponse, identity: ResponseIdentity): ChatResponse {
  let text = "";
  let reasoning = "";
  const toolCalls: ToolCall[] = [];
  for (const block of res.content) {
    if (block.type === "text") text += block.text;
    else if (block.type === "thinking") reasoning += block.thinking;
    else if (block.type === "tool_use") {
      toolCalls.push({ id: block.id, type: "function", function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) } });
    }
  }
  const message: ChatResponse["choices"][number]["message"] = {
    role: "assistant",
    // OpenAI sends null content on a tool-call-only answer.
    content: text === "" && toolCalls.length > 0 ? null : text,
    refusal: null,
  };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  if (reasoning !== "") message.reasoning_content = reasoning;
  return {
    id: res.id,
    object: "chat.completion",
    created: identity.created,
    model: res.model,
    choices: [{ index: 0, message, finish_reason: stopReasonToFinishReason(res.stop_reason) ?? "stop", logprobs: null }],
    usage: anthropicUsageToCanonical(res.usage),
  };
}

export function parseAnthropicMessagesResponse(body: Uint8Array): MessagesResponse {
  const raw = parseUpstreamJson(body, "anthropic");
  if (!isRecord(raw) || !Array.isArray(raw["content"]) || !isRecord(raw["usage"])) {
    throw new PortcullisError({ code: "upstream_error", message: "anthropic returned a message without content or usage" });
  }
  // Shape checked above; the body is Anthropic's own Message object.
  return raw as unknown as MessagesResponse;
}

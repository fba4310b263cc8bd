/** Bedrock Converse response -> canonical chat completion. */
import type { ChatResponse, FinishReason, ToolCall, Usage } from "@portcullis/core";
import type { ConverseResponse, ConverseUsage } from "./converse-types";

export interface ResponseIdentity {
  id: string;
  created: number;
  model: string;
}

export function mapConverseStopReason(reason: string | undefined): FinishReason {
  switch (reason) {
    case "tool_use":
      return "tool_calls";
    case "max_tokens":
    case "model_context_window_exceeded":
      return "length";
    case "content_filtered":
    case "guardrail_intervened":
      return "content_filter";
    default:
      // end_turn, stop_sequence, and the malformed_* outcomes end the turn normally.
      return "stop";
  }
}

/** Bedrock counts cache reads/writes apart from `inputTokens`; OpenAI's prompt_tokens includes them. */
export function mapConverseUsage(u: ConverseUsage): Usage {
  const cacheRead = u.cacheReadInputTokens ?? 0;
  const cacheWrite = u.cacheWriteInputTokens ?? 0;
  const prompt = u.inputTokens + cacheRead + cacheWrite;
  const usage: Usage = { prompt_tokens: prompt, completion_tokens: u.outputTokens, total_tokens: prompt + u.outputTokens };
  if (cacheRead > 0 || cacheWrite > 0) {
    usage.prompt_tokens_details = { cached_tokens: cacheRead };
    if (cacheWrite > 0) usage.prompt_tokens_details.cache_write_tokens = cacheWrite;
  }
  return usage;
}

export function fromConverseResponse(res: ConverseResponse, identity: ResponseIdentity): ChatResponse {
  let text = "";
  let reasoning = "";
  const toolCalls: ToolCall[] = [];
  for (const block of res.output?.message?.content ?? []) {
    if ("text" in block) text += block.text;
    else if ("toolUse" in block) {
      toolCalls.push({
        id: block.toolUse.toolUseId,
        type: "function",
        function: { name: block.toolUse.name, arguments: JSON.stringify(block.toolUse.input ?? {}) },
      });
    } else if ("reasoningContent" in block && block.reasoningContent.reasoningText) {
      reasoning += block.reasoningContent.reasoningText.text;
    }
  }
  const message: ChatResponse["choices"][number]["message"] = {
    role: "assistant",
    content: text === "" && toolCalls.length > 0 ? null : text,
  };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  if (reasoning) message.reasoning_content = reasoning;
  const response: ChatResponse = {
    id: identity.id,
    object: "chat.completion",
    created: identity.created,
    model: identity.model,
    choices: [{ index: 0, message, finish_reason: mapConverseStopReason(res.stopReason) }],
  };
  if (res.usage) response.usage = mapConverseUsage(res.usage);
  return response;
}

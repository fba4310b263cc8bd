/** Gemini/Vertex `GenerateContentResponse` -> canonical chat completion. */
import type { ChatChoice, ChatResponse, FinishReason, ToolCall, Usage } from "@portcullis/core";
import type { GeminiCandidate, GeminiUsageMetadata, GenerateContentResponse } from "./gemini-types";
import { toolCallId } from "./tool-ids";

export interface ResponseIdentity {
  id: string;
  created: number;
  model: string;
  /** Prefix for tool-call ids Gemini did not name itself (unique per request). */
  toolCallPrefix: string;
}

const filtered = new Set(["SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY"]);

export function mapGeminiFinishReason(reason: string | undefined, hasToolCalls: boolean): FinishReason {
  if (reason === "MAX_TOKENS") return "length";
  if (reason && filtered.has(reason)) return "content_filter";
  // Gemini says STOP after a function call; OpenAI clients expect tool_calls.
  return hasToolCalls ? "tool_calls" : "stop";
}

/** Gemini's promptTokenCount already includes cached tokens; thoughts are billed as output. */
export function mapGeminiUsage(u: GeminiUsageMetadata): Usage {
  const prompt = (u.promptTokenCount ?? 0) + (u.toolUsePromptTokenCount ?? 0);
  const thoughts = u.thoughtsTokenCount ?? 0;
  const completion = (u.candidatesTokenCount ?? 0) + thoughts;
  const usage: Usage = { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
  if (u.cachedContentTokenCount) usage.prompt_tokens_details = { cached_tokens: u.cachedContentTokenCount };
  if (thoughts > 0) usage.completion_tokens_details = { reasoning_tokens: thoughts };
  return usage;
}

export function candidateToolCalls(c: GeminiCandidate, prefix: string, start = 0): ToolCall[] {
  const calls: ToolCall[] = [];
  for (const part of c.content?.parts ?? []) {
    if (!part.functionCall) continue;
    const base = part.functionCall.id ?? `${prefix}_${c.index ?? 0}_${start + calls.length}`;
    calls.push({
      id: toolCallId(base, part.thoughtSignature),
      type: "function",
      function: { name: part.functionCall.name, arguments: JSON.stringify(part.functionCall.args ?? {}) },
    });
  }
  return calls;
}

export function candidateText(c: GeminiCandidate): { text: string; thoughts: string } {
  let text = "";
  let thoughts = "";
  for (const part of c.content?.parts ?? []) {
    if (part.text === undefined) continue;
    if (part.thought) thoughts += part.text;
    else text += part.text;
  }
  return { text, thoughts };
}

export function fromGenerateContentResponse(res: GenerateContentResponse, identity: ResponseIdentity): ChatResponse {
  const choices: ChatChoice[] = (res.candidates ?? []).map((c, i) => {
    const { text, thoughts } = candidateText(c);
    const toolCalls = candidateToolCalls(c, identity.toolCallPrefix);
    const message: ChatChoice["message"] = { role: "assistant", content: text === "" && toolCalls.length > 0 ? null : text };
    if (toolCalls.length > 0) message.tool_calls = toolCalls;
    if (thoughts) message.reasoning_content = thoughts;
    return { index: c.index ?? i, message, finish_reason: mapGeminiFinishReason(c.finishReason, toolCalls.length > 0) };
  });
  if (choices.length === 0) {
    // A blocked prompt has no candidates, only promptFeedback.blockReason.
    const refusal = res.promptFeedback?.blockReasonMessage ?? res.promptFeedback?.blockReason ?? null;
    choices.push({ index: 0, message: { role: "assistant", content: "", refusal }, finish_reason: "content_filter" });
  }
  const response: ChatResponse = {
    id: identity.id,
    object: "chat.completion",
    created: identity.created,
    model: res.modelVersion ?? identity.model,
    choices,
  };
  if (res.usageMetadata) response.usage = mapGeminiUsage(res.usageMetadata);
  return response;
}

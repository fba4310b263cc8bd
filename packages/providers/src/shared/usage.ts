import type { ChatChunk, ChatRequest, Usage } from "@portcullis/core";

/** Whether the client asked for the final usage-only chunk on a stream. */
export function wantsStreamUsage(req: ChatRequest): boolean {
  return req.stream_options?.include_usage === true;
}

/** OpenAI's final stream chunk: no choices, only usage. */
export function isUsageOnlyChunk(chunk: ChatChunk): boolean {
  return chunk.choices.length === 0 && chunk.usage != null;
}

export function usageOnlyChunk(base: Pick<ChatChunk, "id" | "created" | "model">, usage: Usage): ChatChunk {
  return { id: base.id, object: "chat.completion.chunk", created: base.created, model: base.model, choices: [], usage };
}

const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

/**
 * Canonical usage from any OpenAI-family usage object: OpenAI's
 * `prompt_tokens_details.cached_tokens`, DeepSeek's `prompt_cache_hit_tokens`,
 * and `completion_tokens_details.reasoning_tokens`. `prompt_tokens` stays the
 * total input (cached tokens included), as OpenAI defines it.
 */
export function normalizeOpenAiUsage(raw: Record<string, unknown>): Usage {
  const prompt = num(raw["prompt_tokens"]) ?? 0;
  const completion = num(raw["completion_tokens"]) ?? 0;
  // Vendor extras stay on the object so OpenAI-native clients still see them.
  const usage: Usage = { ...raw, prompt_tokens: prompt, completion_tokens: completion, total_tokens: num(raw["total_tokens"]) ?? prompt + completion };
  const promptDetails = isObject(raw["prompt_tokens_details"]) ? raw["prompt_tokens_details"] : undefined;
  const cached = num(promptDetails?.["cached_tokens"]) ?? num(raw["prompt_cache_hit_tokens"]);
  if (promptDetails || cached !== undefined) {
    usage.prompt_tokens_details = { ...promptDetails, ...(cached !== undefined ? { cached_tokens: cached } : {}) };
  }
  return usage;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

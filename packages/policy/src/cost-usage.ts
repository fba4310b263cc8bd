/**
 * Provider usage, normalized. `inputTokens` EXCLUDES cached tokens: a request's prompt is
 * inputTokens + cachedReadTokens + cachedWriteTokens. `outputTokens` INCLUDES reasoning
 * (thinking) tokens, which every provider bills at the output rate; `reasoningTokens`
 * repeats how many of them were reasoning, for logs only.
 */
export interface NormalizedUsage {
  inputTokens: number;
  outputTokens: number;
  cachedReadTokens: number;
  cachedWriteTokens: number;
  reasoningTokens?: number;
}

type Count = number | null | undefined;

/** Providers omit fields or send null; a count is a non-negative integer or 0. */
function count(value: Count): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

function optionalCount(value: Count): number | undefined {
  return value === null || value === undefined ? undefined : count(value);
}

function withReasoning(usage: Omit<NormalizedUsage, "reasoningTokens">, reasoning: number | undefined): NormalizedUsage {
  return reasoning === undefined ? usage : { ...usage, reasoningTokens: reasoning };
}

/**
 * OpenAI Chat Completions and Responses usage, also spoken by Azure OpenAI and the
 * OpenAI-compatible providers. `prompt_tokens` (Responses: `input_tokens`) INCLUDES
 * `prompt_tokens_details.cached_tokens`. DeepSeek reports the split as
 * `prompt_cache_hit_tokens` / `prompt_cache_miss_tokens`. `cache_write_tokens` is the
 * canonical Usage extension for upstreams that bill cache writes; it is counted inside
 * prompt_tokens too.
 */
export interface OpenAiRawUsage {
  prompt_tokens?: Count;
  completion_tokens?: Count;
  total_tokens?: Count;
  prompt_tokens_details?: { cached_tokens?: Count; cache_write_tokens?: Count } | null;
  completion_tokens_details?: { reasoning_tokens?: Count } | null;
  input_tokens?: Count;
  output_tokens?: Count;
  input_tokens_details?: { cached_tokens?: Count } | null;
  output_tokens_details?: { reasoning_tokens?: Count } | null;
  prompt_cache_hit_tokens?: Count;
  prompt_cache_miss_tokens?: Count;
}

export function normalizeOpenAiUsage(raw: OpenAiRawUsage): NormalizedUsage {
  const hit = optionalCount(raw.prompt_cache_hit_tokens);
  const miss = optionalCount(raw.prompt_cache_miss_tokens);
  const prompt = optionalCount(raw.prompt_tokens) ?? optionalCount(raw.input_tokens) ?? (hit ?? 0) + (miss ?? 0);
  const cachedRead =
    hit ?? optionalCount(raw.prompt_tokens_details?.cached_tokens) ?? count(raw.input_tokens_details?.cached_tokens);
  const cachedWrite = count(raw.prompt_tokens_details?.cache_write_tokens);
  const completion = optionalCount(raw.completion_tokens) ?? count(raw.output_tokens);
  const reasoning =
    optionalCount(raw.completion_tokens_details?.reasoning_tokens) ?? optionalCount(raw.output_tokens_details?.reasoning_tokens);
  // xAI leaves reasoning out of completion_tokens but counts it in total_tokens; OpenAI
  // includes it in both. The total tells the two apart.
  const reasoningOutside =
    reasoning !== undefined && reasoning > 0 && optionalCount(raw.total_tokens) === prompt + completion + reasoning;
  return withReasoning(
    {
      inputTokens: Math.max(0, prompt - cachedRead - cachedWrite),
      outputTokens: reasoningOutside ? completion + reasoning : completion,
      cachedReadTokens: cachedRead,
      cachedWriteTokens: cachedWrite,
    },
    reasoning,
  );
}

/** Anthropic Messages usage: `input_tokens` EXCLUDES cache reads and cache writes. */
export interface AnthropicRawUsage {
  input_tokens?: Count;
  output_tokens?: Count;
  cache_read_input_tokens?: Count;
  cache_creation_input_tokens?: Count;
  cache_creation?: { ephemeral_5m_input_tokens?: Count; ephemeral_1h_input_tokens?: Count } | null;
}

export function normalizeAnthropicUsage(raw: AnthropicRawUsage): NormalizedUsage {
  const split = raw.cache_creation;
  const cachedWrite =
    optionalCount(raw.cache_creation_input_tokens) ??
    count(split?.ephemeral_5m_input_tokens) + count(split?.ephemeral_1h_input_tokens);
  return {
    inputTokens: count(raw.input_tokens),
    outputTokens: count(raw.output_tokens),
    cachedReadTokens: count(raw.cache_read_input_tokens),
    cachedWriteTokens: cachedWrite,
  };
}

/**
 * A streamed Anthropic message reports usage twice: `message_start` carries the prompt
 * counts (and output_tokens: 1), each `message_delta` carries cumulative counts. Later
 * events win field by field, so the result equals the non-streamed usage.
 */
export function mergeAnthropicStreamUsage(start: AnthropicRawUsage, ...deltas: AnthropicRawUsage[]): AnthropicRawUsage {
  const merged: AnthropicRawUsage = { ...start };
  for (const delta of deltas) {
    for (const [key, value] of Object.entries(delta) as Array<[keyof AnthropicRawUsage, unknown]>) {
      if (value !== null && value !== undefined) Object.assign(merged, { [key]: value });
    }
  }
  return merged;
}

/** Bedrock Converse (and ConverseStream `metadata`): `inputTokens` EXCLUDES cache tokens. */
export interface BedrockConverseRawUsage {
  inputTokens?: Count;
  outputTokens?: Count;
  totalTokens?: Count;
  cacheReadInputTokens?: Count;
  cacheWriteInputTokens?: Count;
}

export function normalizeBedrockUsage(raw: BedrockConverseRawUsage): NormalizedUsage {
  return {
    inputTokens: count(raw.inputTokens),
    outputTokens: count(raw.outputTokens),
    cachedReadTokens: count(raw.cacheReadInputTokens),
    cachedWriteTokens: count(raw.cacheWriteInputTokens),
  };
}

/**
 * Gemini / Vertex `usageMetadata`: `promptTokenCount` INCLUDES `cachedContentTokenCount`;
 * thinking (`thoughtsTokenCount`) is reported beside `candidatesTokenCount` and billed as
 * output; tool-use prompt tokens are billed as input. Gemini reports no cache writes
 * (creating an explicit cache is billed as ordinary input when it happens).
 */
export interface GeminiRawUsage {
  promptTokenCount?: Count;
  candidatesTokenCount?: Count;
  cachedContentTokenCount?: Count;
  thoughtsTokenCount?: Count;
  toolUsePromptTokenCount?: Count;
  totalTokenCount?: Count;
}

export function normalizeGeminiUsage(raw: GeminiRawUsage): NormalizedUsage {
  const prompt = count(raw.promptTokenCount) + count(raw.toolUsePromptTokenCount);
  const cachedRead = Math.min(count(raw.cachedContentTokenCount), prompt);
  const thoughts = optionalCount(raw.thoughtsTokenCount);
  return withReasoning(
    {
      inputTokens: prompt - cachedRead,
      outputTokens: count(raw.candidatesTokenCount) + (thoughts ?? 0),
      cachedReadTokens: cachedRead,
      cachedWriteTokens: 0,
    },
    thoughts,
  );
}

import type { ChatRequest } from "@portcullis/core";
import type { StreamUsageMode } from "../openai/chat";
import type { ProviderType } from "../types";

export type CompatibleProviderType = Extract<
  ProviderType,
  "mistral" | "groq" | "deepseek" | "xai" | "together" | "fireworks" | "openrouter" | "ollama" | "vllm" | "openai-compatible"
>;

export interface CompatibleQuirks {
  /** Documented public endpoint (with its version segment); absent means the target must give one. */
  defaultBaseUrl?: string;
  streamUsage: StreamUsageMode;
  embeddings: boolean;
  nativeBase64Embeddings: boolean;
  responses: boolean;
  transformChatBody?(body: Record<string, unknown>, req: ChatRequest): Record<string, unknown>;
}

/** Mistral answers 422 to any parameter it does not know, so only its own are sent. */
const mistralParams = new Set([
  "model", "messages", "temperature", "top_p", "max_tokens", "stream", "stop", "random_seed", "response_format",
  "tools", "tool_choice", "presence_penalty", "frequency_penalty", "n", "prediction", "parallel_tool_calls",
  "safe_prompt", "prompt_mode",
]);

function toMistral(body: Record<string, unknown>): Record<string, unknown> {
  const renamed: Record<string, unknown> = { ...body };
  if (renamed["seed"] !== undefined && renamed["random_seed"] === undefined) renamed["random_seed"] = renamed["seed"];
  if (renamed["max_completion_tokens"] !== undefined && renamed["max_tokens"] === undefined) renamed["max_tokens"] = renamed["max_completion_tokens"];
  return Object.fromEntries(Object.entries(renamed).filter(([k]) => mistralParams.has(k)));
}

const standard = { streamUsage: "stream-options", embeddings: true, nativeBase64Embeddings: false, responses: false } as const;

export const compatibleQuirks: Record<CompatibleProviderType, CompatibleQuirks> = {
  // Mistral reports usage on the last chunk unasked and rejects stream_options.
  mistral: { ...standard, defaultBaseUrl: "https://api.mistral.ai/v1", streamUsage: "always", transformChatBody: toMistral },
  // Groq also reports stream usage under `x_groq.usage`; the decoder reads both.
  groq: { ...standard, defaultBaseUrl: "https://api.groq.com/openai/v1", embeddings: false },
  // DeepSeek: `reasoning_content` on deepseek-reasoner, cache hits as `prompt_cache_hit_tokens`.
  deepseek: { ...standard, defaultBaseUrl: "https://api.deepseek.com", embeddings: false },
  xai: { ...standard, defaultBaseUrl: "https://api.x.ai/v1", embeddings: false },
  together: { ...standard, defaultBaseUrl: "https://api.together.xyz/v1" },
  fireworks: { ...standard, defaultBaseUrl: "https://api.fireworks.ai/inference/v1" },
  // OpenRouter names reasoning text `reasoning`; the transforms rename it.
  openrouter: { ...standard, defaultBaseUrl: "https://openrouter.ai/api/v1" },
  ollama: { ...standard, defaultBaseUrl: "http://localhost:11434/v1" },
  vllm: { ...standard, defaultBaseUrl: "http://localhost:8000/v1", nativeBase64Embeddings: true, responses: true },
  "openai-compatible": { ...standard, responses: true },
};

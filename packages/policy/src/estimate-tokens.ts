import { GptEncoding } from "gpt-tokenizer/GptEncoding";
import o200kRanks from "gpt-tokenizer/bpeRanks/o200k_base";
import type { ChatRequest } from "@portcullis/core";

/**
 * The prompt-token estimate admission uses (TPM windows and the budget reservation);
 * settlement replaces it with the provider's own count. Text is counted with the
 * o200k tokenizer (OpenAI's current one) up to 32 KiB per string; longer strings use
 * UTF-8 bytes / 3, an upper bound that keeps admission cheap (~35 µs per KiB
 * tokenized). Other vendors' tokenizers split the same text into more tokens, so
 * `tokenizerFactor` scales the count up for them: reservations err on the safe side.
 * Images count as the 765 tokens of a high-detail 1024x1024 tile set; each message
 * adds 4 tokens of framing.
 */
const imageTokens = 765;
const perMessage = 4;
const tokenizeLimit = 32 * 1024;

// The encoder is what `gpt-tokenizer/encoding/o200k_base` builds at import (~25 MiB of maps, ~50 ms):
// built on first use instead, so a process that never estimates never pays for it.
let o200k: GptEncoding | undefined;

function textTokens(s: string): number {
  if (s.length <= tokenizeLimit) return (o200k ??= GptEncoding.getEncodingApi("o200k_base", () => o200kRanks)).countTokens(s);
  return Math.ceil(Buffer.byteLength(s, "utf8") / 3);
}

/** How many tokens a provider's own tokenizer makes of text o200k counts as 1 (conservative). */
export function tokenizerFactor(providerType: string): number {
  switch (providerType) {
    case "anthropic":
    case "bedrock":
    case "vertex":
      return 1.35;
    case "gemini":
    case "mistral":
    case "together":
    case "fireworks":
    case "groq":
    case "ollama":
    case "vllm":
    case "deepseek":
    case "xai":
    case "openrouter":
    case "openai-compatible":
      return 1.25;
    default:
      return 1;
  }
}

export function estimatePromptTokens(req: Pick<ChatRequest, "messages" | "tools">): number {
  let tokens = 3;
  for (const m of req.messages) {
    tokens += perMessage;
    if (typeof m.content === "string") tokens += textTokens(m.content);
    else if (Array.isArray(m.content)) {
      for (const part of m.content) tokens += part.type === "text" ? textTokens(part.text) : imageTokens;
    }
    for (const call of m.tool_calls ?? []) tokens += textTokens(call.function.name) + textTokens(call.function.arguments);
  }
  if (req.tools?.length) tokens += textTokens(JSON.stringify(req.tools));
  return tokens;
}

/** Embedding inputs: strings or pre-tokenized arrays. */
export function estimateEmbeddingTokens(input: string | string[] | number[] | number[][]): number {
  if (typeof input === "string") return textTokens(input);
  let tokens = 0;
  for (const item of input) tokens += typeof item === "string" ? textTokens(item) : Array.isArray(item) ? item.length : 1;
  return tokens;
}

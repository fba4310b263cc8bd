import type { ChatRequest } from "@portcullis/core";

/**
 * A fast upper-leaning estimate of a prompt's tokens for admission (TPM windows and
 * the budget reservation); settlement replaces it with the provider's own count.
 * UTF-8 bytes / 3 over-counts English text (~4 bytes a token) and matches CJK
 * (~3 bytes a token), so reservations err on the safe side. Images count as the
 * 765 tokens of a high-detail 1024x1024 tile set; each message adds 4 tokens of framing.
 */
const imageTokens = 765;
const perMessage = 4;

function textTokens(s: string): number {
  return Math.ceil(Buffer.byteLength(s, "utf8") / 3);
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

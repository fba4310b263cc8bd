import type { AnthropicMessagesOptions, Target, UpstreamRequest } from "../types";
import { anthropicHeaders, anthropicUrl } from "./api";

/**
 * Anthropic-in, Anthropic-out: the client's body is forwarded as is with the
 * model swapped and Portcullis's credentials. The client's `anthropic-version`
 * wins (it chose those semantics), then the target's, then the default.
 */
export function buildAnthropicMessagesRequest(
  body: Record<string, unknown>,
  target: Target,
  defaultVersion: string,
  opts: AnthropicMessagesOptions = {},
): UpstreamRequest {
  const countTokens = opts.countTokens === true;
  const stream = !countTokens && body["stream"] === true;
  const version = opts.anthropicVersion ?? target.apiVersion ?? defaultVersion;
  return {
    method: "POST",
    url: anthropicUrl(target, countTokens ? "messages/count_tokens" : "messages"),
    headers: anthropicHeaders(target, version, { stream, ...(opts.anthropicBeta ? { beta: opts.anthropicBeta } : {}) }),
    body: JSON.stringify({ ...body, model: target.model }),
    stream,
  };
}

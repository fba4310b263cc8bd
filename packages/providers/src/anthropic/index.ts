/**
 * Anthropic Messages: as an upstream for canonical (OpenAI-format) requests,
 * natively for Anthropic clients, and the translations the inbound
 * `/v1/messages` surface needs when the target is not Anthropic.
 */
import type { BuildContext, ProviderAdapter } from "../types";
import { ANTHROPIC_DEFAULT_VERSION, anthropicHeaders, anthropicUrl } from "./api";
import { parseAnthropicError } from "./errors";
import { anthropicResponseToCanonical, parseAnthropicMessagesResponse } from "./from-anthropic";
import { buildAnthropicMessagesRequest } from "./passthrough";
import { createAnthropicStreamDecoder } from "./stream";
import { canonicalToAnthropicRequest } from "./to-anthropic";
import { wantsStreamUsage } from "../shared/usage";

export interface AnthropicAdapterOptions {
  /** `anthropic-version` sent when the target sets none (default 2023-06-01). */
  version?: string;
  /** max_tokens when the request has none (default: per model). */
  defaultMaxTokens?: number;
  /** Clock for `created` and retry-after dates when no BuildContext is given. */
  now?: () => number;
}

export function createAnthropicAdapter(opts: AnthropicAdapterOptions = {}): ProviderAdapter {
  const version = opts.version ?? ANTHROPIC_DEFAULT_VERSION;
  const nowMs = (ctx?: BuildContext) => ctx?.now.getTime() ?? (opts.now ?? Date.now)();
  const created = (ctx?: BuildContext) => Math.floor(nowMs(ctx) / 1000);
  return {
    type: "anthropic",
    chat: {
      buildChatRequest(req, target) {
        const body = canonicalToAnthropicRequest(req, target.model, opts.defaultMaxTokens !== undefined ? { defaultMaxTokens: opts.defaultMaxTokens } : {});
        const stream = req.stream === true;
        return {
          method: "POST",
          url: anthropicUrl(target, "messages"),
          headers: anthropicHeaders(target, target.apiVersion ?? version, { stream }),
          body: JSON.stringify(body),
          stream,
        };
      },
      parseChatResponse: (body, _target, ctx) => anthropicResponseToCanonical(parseAnthropicMessagesResponse(body), { created: created(ctx) }),
      createStreamDecoder: (_target, req, ctx) => createAnthropicStreamDecoder({ created: created(ctx), includeUsage: wantsStreamUsage(req) }),
      parseError: (status, headers, body) => parseAnthropicError(status, headers, body, nowMs()),
    },
    anthropicMessages: {
      buildMessagesRequest: (body, target, _ctx, o) => buildAnthropicMessagesRequest(body, target, version, o),
    },
  };
}

export const anthropicAdapter: ProviderAdapter = createAnthropicAdapter();

export { ANTHROPIC_DEFAULT_BASE_URL, ANTHROPIC_DEFAULT_VERSION, anthropicAuthHeaders, anthropicHeaders, anthropicUrl, defaultAnthropicMaxTokens } from "./api";
export { canonicalToAnthropicRequest, imageUrlToBlock, type ToAnthropicOptions } from "./to-anthropic";
export { anthropicResponseToCanonical, anthropicUsageToCanonical, parseAnthropicMessagesResponse, stopReasonToFinishReason } from "./from-anthropic";
export { createAnthropicStreamDecoder, type AnthropicStreamOptions } from "./stream";
export { parseAnthropicError, anthropicErrorFromObject, anthropicErrorStatus } from "./errors";
export { anthropicRequestToCanonical, thinkingToReasoningEffort, imageSourceToUrl } from "./inbound-request";
export { canonicalResponseToAnthropic, canonicalUsageToAnthropic, finishReasonToStopReason, parseToolInput, anthropicMessageId } from "./inbound-response";
export { createAnthropicStreamEncoder, type AnthropicStreamEncoder, type AnthropicStreamEncoderOptions } from "./stream-encoder";
export { buildAnthropicMessagesRequest } from "./passthrough";

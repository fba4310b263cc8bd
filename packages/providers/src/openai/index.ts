/** OpenAI: Chat Completions, Embeddings and native Responses passthrough. */
import type { ProviderAdapter } from "../types";
import { OPENAI_DEFAULT_BASE_URL, openAiAuthHeaders, openAiUrl } from "./api";
import { createOpenAiWireAdapter } from "./wire-adapter";

export interface OpenAiAdapterOptions {
  now?: () => number;
}

export function createOpenAiAdapter(opts: OpenAiAdapterOptions = {}): ProviderAdapter {
  return createOpenAiWireAdapter({
    type: "openai",
    url: (target, op) => openAiUrl(target, op, OPENAI_DEFAULT_BASE_URL),
    authHeaders: openAiAuthHeaders,
    streamUsage: "stream-options",
    nativeBase64Embeddings: true,
    supportsResponses: true,
    ...(opts.now ? { now: opts.now } : {}),
  });
}

export const openAiAdapter: ProviderAdapter = createOpenAiAdapter();

export { OPENAI_DEFAULT_BASE_URL, openAiAuthHeaders, openAiUrl } from "./api";
export { buildOpenAiChatBody, parseOpenAiChatResponse, normalizeReasoning, type StreamUsageMode } from "./chat";
export { buildOpenAiEmbeddingBody, parseOpenAiEmbeddingResponse, floatsToBase64, base64ToFloats } from "./embed";
export { parseOpenAiError, errorFromObject } from "./errors";
export { buildResponsesUpstream } from "./responses";
export { createOpenAiStreamDecoder, type OpenAiStreamOptions } from "./stream";
export { createOpenAiWireAdapter, type OpenAiWireProfile, type OpenAiOperation } from "./wire-adapter";

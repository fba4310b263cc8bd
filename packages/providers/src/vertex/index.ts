/**
 * Vertex AI with a GCP OAuth bearer token: Gemini models (the Gemini body on
 * Vertex URLs) and Claude models (Anthropic's body through rawPredict).
 */
import { parseGoogleError } from "../gemini/errors";
import type { GenerateContentResponse } from "../gemini/gemini-types";
import { geminiIdentity } from "../gemini/index";
import { toGenerateContentRequest } from "../gemini/request";
import { fromGenerateContentResponse } from "../gemini/response";
import { createGeminiStreamDecoder } from "../gemini/stream";
import type { ChatAdapter, ProviderAdapter, Target } from "../types";
import { isVertexClaudeModel, vertexClaudeChat } from "./anthropic";
import { vertexHeaders, vertexUrl } from "./api";
import { vertexEmbeddings } from "./embed";

const vertexGeminiChat: ChatAdapter = {
  buildChatRequest(req, target) {
    const stream = req.stream === true;
    return {
      method: "POST",
      url: vertexUrl(target, stream ? "streamGenerateContent" : "generateContent"),
      headers: vertexHeaders(target, stream),
      body: JSON.stringify(toGenerateContentRequest(req, target.model)),
      stream,
    };
  },
  parseChatResponse(body, target, ctx) {
    const res = JSON.parse(new TextDecoder().decode(body)) as GenerateContentResponse;
    return fromGenerateContentResponse(res, geminiIdentity(target, ctx, res));
  },
  createStreamDecoder(target, req, ctx) {
    return createGeminiStreamDecoder({ identity: geminiIdentity(target, ctx), includeUsage: req.stream_options?.include_usage === true });
  },
  parseError: parseGoogleError,
};

const pick = (target: Target): ChatAdapter => (isVertexClaudeModel(target.model) ? vertexClaudeChat : vertexGeminiChat);

export const vertexAdapter: ProviderAdapter = {
  type: "vertex",
  chat: {
    buildChatRequest: (req, target, ctx) => pick(target).buildChatRequest(req, target, ctx),
    parseChatResponse: (body, target, ctx) => pick(target).parseChatResponse(body, target, ctx),
    createStreamDecoder: (target, req, ctx) => pick(target).createStreamDecoder(target, req, ctx),
    // The target is not passed here; Claude's Anthropic-shaped errors are told apart by their body.
    parseError: vertexClaudeChat.parseError,
  },
  embeddings: vertexEmbeddings,
};

export { vertexUrl, vertexHeaders, vertexBaseUrl, vertexRegion } from "./api";
export {
  buildJwtAssertion, buildTokenRequestBody, parseTokenResponse, parseServiceAccountKey,
  cloudPlatformScope, defaultTokenUri, jwtBearerGrantType,
  type AccessToken, type ServiceAccountKey, type AssertionOptions,
} from "./auth";
export { TokenCache, type TokenFetcher, type TokenCacheOptions } from "./token-cache";
export { vertexAnthropicVersion, isVertexClaudeModel } from "./anthropic";

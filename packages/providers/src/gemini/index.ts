/** Google Gemini API (`generateContent`, `streamGenerateContent?alt=sse`, embeddings) with an API key. */
import { randomUUID } from "node:crypto";
import type { BuildContext, ProviderAdapter, Target } from "../types";
import { geminiHeaders, geminiUrl } from "./api";
import { geminiEmbeddings } from "./embed";
import { parseGoogleError } from "./errors";
import type { GenerateContentResponse } from "./gemini-types";
import { toGenerateContentRequest } from "./request";
import { fromGenerateContentResponse, type ResponseIdentity } from "./response";
import { createGeminiStreamDecoder } from "./stream";

/** Id and time from the request context when given, else from the upstream body, else fresh. */
export function geminiIdentity(target: Target, ctx?: BuildContext, res?: GenerateContentResponse): ResponseIdentity {
  const key = ctx?.requestId ?? res?.responseId ?? randomUUID();
  const createdMs = ctx?.now.getTime() ?? (res?.createTime ? Date.parse(res.createTime) : Date.now());
  return { id: `chatcmpl-${key}`, created: Math.floor(createdMs / 1000), model: target.model, toolCallPrefix: `call_${key}` };
}

export const geminiAdapter: ProviderAdapter = {
  type: "gemini",
  chat: {
    buildChatRequest(req, target) {
      const stream = req.stream === true;
      return {
        method: "POST",
        url: geminiUrl(target, stream ? "streamGenerateContent" : "generateContent"),
        headers: geminiHeaders(target, stream),
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
  },
  embeddings: geminiEmbeddings,
};

export { toGenerateContentRequest } from "./request";
export { fromGenerateContentResponse, mapGeminiFinishReason, mapGeminiUsage } from "./response";
export { createGeminiStreamDecoder } from "./stream";
export { parseGoogleError } from "./errors";
export { geminiUrl, geminiHeaders, geminiModelName, defaultGeminiBaseUrl } from "./api";
export { toGeminiSchema } from "./schema";
export type * from "./gemini-types";

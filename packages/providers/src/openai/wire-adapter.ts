import type { ChatRequest } from "@portcullis/core";
import { jsonHeaders } from "../shared/http";
import { wantsStreamUsage } from "../shared/usage";
import type { ProviderAdapter, ProviderType, Target } from "../types";
import { buildOpenAiChatBody, parseOpenAiChatResponse, type StreamUsageMode } from "./chat";
import { buildOpenAiEmbeddingBody, parseOpenAiEmbeddingResponse } from "./embed";
import { parseOpenAiError } from "./errors";
import { buildResponsesUpstream } from "./responses";
import { createOpenAiStreamDecoder } from "./stream";

export type OpenAiOperation = "chat/completions" | "embeddings" | "responses";

/** What differs between upstreams that speak OpenAI's wire format. */
export interface OpenAiWireProfile {
  type: ProviderType;
  url(target: Target, op: OpenAiOperation): string;
  authHeaders(target: Target): Record<string, string>;
  streamUsage: StreamUsageMode;
  /** The upstream honours `encoding_format: "base64"` for embeddings. */
  nativeBase64Embeddings: boolean;
  /** Whether the upstream serves `/responses`. */
  supportsResponses: boolean;
  /** Vendor parameter renames (e.g. Mistral's `random_seed`). */
  transformChatBody?(body: Record<string, unknown>, req: ChatRequest): Record<string, unknown>;
  /** Clock for `retry-after` dates. */
  now?: () => number;
}

function headersFor(profile: OpenAiWireProfile, target: Target, stream: boolean): Record<string, string> {
  return jsonHeaders({ ...profile.authHeaders(target), ...target.headers, ...(stream ? { accept: "text/event-stream" } : {}) });
}

/** One adapter for every OpenAI-format upstream; the profile carries the differences. */
export function createOpenAiWireAdapter(profile: OpenAiWireProfile): ProviderAdapter {
  const now = profile.now ?? Date.now;
  const adapter: ProviderAdapter = {
    type: profile.type,
    chat: {
      buildChatRequest(req, target) {
        const stream = req.stream === true;
        let body = buildOpenAiChatBody(req, target.model, profile.streamUsage);
        if (profile.transformChatBody) body = profile.transformChatBody(body, req);
        return { method: "POST", url: profile.url(target, "chat/completions"), headers: headersFor(profile, target, stream), body: JSON.stringify(body), stream };
      },
      parseChatResponse: (body) => parseOpenAiChatResponse(body, profile.type),
      createStreamDecoder: (_target, req) => createOpenAiStreamDecoder({ includeUsage: wantsStreamUsage(req) }),
      parseError: (status, headers, body) => parseOpenAiError(status, headers, body, now()),
    },
    embeddings: {
      buildEmbeddingRequest(req, target) {
        const body = buildOpenAiEmbeddingBody(req, target.model, profile.nativeBase64Embeddings);
        return { method: "POST", url: profile.url(target, "embeddings"), headers: headersFor(profile, target, false), body: JSON.stringify(body), stream: false };
      },
      parseEmbeddingResponse: (body, _target, req) => parseOpenAiEmbeddingResponse(body, profile.type, req),
    },
  };
  if (profile.supportsResponses) {
    adapter.responses = {
      buildResponsesRequest: (body, target) =>
        buildResponsesUpstream(body, target, profile.url(target, "responses"), headersFor(profile, target, false)),
    };
  }
  return adapter;
}

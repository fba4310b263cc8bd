/**
 * Claude on Vertex AI: the Anthropic Messages body (without `model`, with
 * `anthropic_version: "vertex-2023-10-16"`) POSTed to
 * `publishers/anthropic/models/{model}:rawPredict` (`:streamRawPredict` for SSE).
 * Responses and streams are Anthropic's own, so the Anthropic transforms apply.
 */
import { anthropicAdapter } from "../anthropic/index";
import { canonicalToAnthropicRequest } from "../anthropic/to-anthropic";
import { parseAnthropicError } from "../anthropic/errors";
import { parseGoogleError } from "../gemini/errors";
import type { ChatAdapter, UpstreamError } from "../types";
import { vertexHeaders, vertexUrl } from "./api";

export const vertexAnthropicVersion = "vertex-2023-10-16";

/** Claude model ids on Vertex look like `claude-sonnet-4@20250514`. */
export function isVertexClaudeModel(model: string): boolean {
  return /^(publishers\/anthropic\/models\/)?claude-/.test(model);
}

/** Errors from Claude itself are Anthropic-shaped; Vertex's front end (auth, quota) answers in Google's shape. */
function parseVertexClaudeError(status: number, headers: Headers, body: Uint8Array): UpstreamError {
  try {
    const v = JSON.parse(new TextDecoder().decode(body)) as { type?: unknown };
    if (v && v.type === "error") return parseAnthropicError(status, headers, body, Date.now());
  } catch {
    // not JSON: the Google parser keeps the text
  }
  return parseGoogleError(status, headers, body);
}

export const vertexClaudeChat: ChatAdapter = {
  buildChatRequest(req, target) {
    const model = target.model.replace(/^publishers\/anthropic\/models\//, "");
    const { model: _model, ...rest } = canonicalToAnthropicRequest(req, model) as unknown as Record<string, unknown>;
    const body = { anthropic_version: vertexAnthropicVersion, ...rest };
    const stream = req.stream === true;
    const url = vertexUrl({ ...target, model }, stream ? "streamRawPredict" : "rawPredict", "anthropic").replace(/%40/g, "@");
    return { method: "POST", url, headers: vertexHeaders(target, stream), body: JSON.stringify(body), stream };
  },
  parseChatResponse: (body, target, ctx) => anthropicAdapter.chat.parseChatResponse(body, target, ctx),
  createStreamDecoder: (target, req, ctx) => anthropicAdapter.chat.createStreamDecoder(target, req, ctx),
  parseError: parseVertexClaudeError,
};

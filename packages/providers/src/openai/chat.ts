import { PortcullisError, type ChatMessage, type ChatRequest, type ChatResponse } from "@portcullis/core";
import { isRecord, parseUpstreamJson } from "../shared/http";
import { normalizeOpenAiUsage } from "../shared/usage";

export type StreamUsageMode =
  /** Ask with `stream_options.include_usage` (OpenAI, Azure, most servers). */
  | "stream-options"
  /** The upstream reports usage unasked and may reject `stream_options` (Mistral). */
  | "always";

/** The outgoing body: the client's request as is, with the model swapped and usage asked for. */
export function buildOpenAiChatBody(req: ChatRequest, model: string, streamUsage: StreamUsageMode): Record<string, unknown> {
  const body: Record<string, unknown> = { ...req, model, messages: req.messages.map(withoutReasoning) };
  if (req.stream === true && streamUsage === "stream-options") {
    // Always ask: billing needs usage even when the client did not want the chunk.
    body["stream_options"] = { ...req.stream_options, include_usage: true };
  } else {
    // OpenAI rejects stream_options on a non-streaming request.
    delete body["stream_options"];
  }
  return body;
}

/**
 * Reasoning text carried on an assistant turn (from an Anthropic client's
 * thinking block) is Portcullis-internal: OpenAI-format upstreams either
 * ignore it or reject the request (DeepSeek), so it is not sent.
 */
function withoutReasoning(m: ChatMessage): ChatMessage {
  if (m.reasoning_content === undefined) return m;
  const { reasoning_content: _dropped, ...rest } = m;
  return rest;
}

/** Moves a vendor's `reasoning` text (OpenRouter) to the canonical `reasoning_content`. */
export function normalizeReasoning(obj: Record<string, unknown>): void {
  if (typeof obj["reasoning"] === "string" && obj["reasoning_content"] === undefined) {
    obj["reasoning_content"] = obj["reasoning"];
    delete obj["reasoning"];
  }
}

export function parseOpenAiChatResponse(body: Uint8Array, provider: string): ChatResponse {
  const raw = parseUpstreamJson(body, provider);
  if (!isRecord(raw) || !Array.isArray(raw["choices"])) {
    throw new PortcullisError({ code: "upstream_error", message: `${provider} returned a chat response without choices` });
  }
  for (const choice of raw["choices"]) {
    if (isRecord(choice) && isRecord(choice["message"])) normalizeReasoning(choice["message"]);
  }
  if (isRecord(raw["usage"])) raw["usage"] = normalizeOpenAiUsage(raw["usage"]);
  // Shape checked above; the rest is the upstream's own OpenAI-format body.
  return raw as unknown as ChatResponse;
}

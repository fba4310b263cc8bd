import type {
  ChatChunk, ChatRequest, ChatResponse, EmbeddingRequest, EmbeddingResponse, Usage,
} from "@portcullis/core";

/** Wire protocols Portcullis speaks upstream. */
export const providerTypes = [
  "openai", "azure-openai", "anthropic", "bedrock", "gemini", "vertex",
  "mistral", "groq", "deepseek", "xai", "together", "fireworks", "openrouter", "ollama", "vllm",
  "openai-compatible",
] as const;
export type ProviderType = (typeof providerTypes)[number];

/** Credentials resolved from the secret store for one provider key. */
export type Credentials =
  | { kind: "api-key"; apiKey: string }
  | { kind: "bearer"; token: string }
  | { kind: "aws"; accessKeyId: string; secretAccessKey: string; sessionToken?: string }
  | { kind: "gcp-token"; accessToken: string }
  | { kind: "none" };

/** Everything an adapter needs to address one upstream deployment. Pure data. */
export interface Target {
  provider: ProviderType;
  baseUrl: string;
  /** The model (or Azure deployment) name as the upstream knows it. */
  model: string;
  credentials: Credentials;
  region?: string;
  apiVersion?: string;
  /** GCP project for Vertex. */
  project?: string;
  headers?: Record<string, string>;
}

/** A fully built HTTP request: the transport sends it as is. */
export interface UpstreamRequest {
  method: "POST" | "GET";
  url: string;
  headers: Record<string, string>;
  body: string | Uint8Array;
  /** True when the response is a stream the adapter decodes incrementally. */
  stream: boolean;
}

/** An upstream error mapped to neutral terms; the inbound route renders it in its protocol. */
export interface UpstreamError {
  status: number;
  /** The provider's own error type/code, kept for the caller. */
  type: string;
  message: string;
  retryAfterSeconds?: number;
  /** The provider's machine-readable code when it differs from `type` (OpenAI `error.code`). */
  code?: string;
  /** The request field the provider blamed, when it says. */
  param?: string;
}

/** Incremental decoder for one upstream stream: bytes in, canonical chunks out. */
export interface StreamDecoder {
  push(bytes: Uint8Array): ChatChunk[];
  /**
   * Called when the upstream body ends. `complete` is false when the stream ended
   * before its terminal event (the route reports `stream_incomplete`).
   */
  end(): { chunks: ChatChunk[]; complete: boolean; error?: UpstreamError };
  /** Usage seen so far (for billing a broken stream). */
  usage(): Usage | undefined;
}

/** Context a pure transform may need: the clock (SigV4) and a request id. */
export interface BuildContext {
  now: Date;
  requestId: string;
}

export interface ChatAdapter {
  buildChatRequest(req: ChatRequest, target: Target, ctx: BuildContext): UpstreamRequest;
  /** `ctx` (optional) gives the response id and `created` time when the upstream body lacks them. */
  parseChatResponse(body: Uint8Array, target: Target, ctx?: BuildContext): ChatResponse;
  createStreamDecoder(target: Target, req: ChatRequest, ctx?: BuildContext): StreamDecoder;
  parseError(status: number, headers: Headers, body: Uint8Array): UpstreamError;
}

export interface EmbeddingAdapter {
  buildEmbeddingRequest(req: EmbeddingRequest, target: Target, ctx: BuildContext): UpstreamRequest;
  parseEmbeddingResponse(body: Uint8Array, target: Target, req: EmbeddingRequest): EmbeddingResponse;
}

/** OpenAI Responses API, forwarded natively: the body travels as is with the model swapped. */
export interface ResponsesAdapter {
  buildResponsesRequest(body: Record<string, unknown>, target: Target, ctx: BuildContext): UpstreamRequest;
}

export interface AnthropicMessagesOptions {
  /** `/v1/messages/count_tokens` instead of `/v1/messages`. */
  countTokens?: boolean;
  /** The client's `anthropic-version`; the adapter's default otherwise. */
  anthropicVersion?: string;
  /** The client's `anthropic-beta` header, forwarded unchanged. */
  anthropicBeta?: string;
}

/** Anthropic Messages API, forwarded natively (Anthropic-in, Anthropic-out). */
export interface AnthropicMessagesAdapter {
  buildMessagesRequest(body: Record<string, unknown>, target: Target, ctx: BuildContext, opts?: AnthropicMessagesOptions): UpstreamRequest;
}

export interface ProviderAdapter {
  type: ProviderType;
  chat: ChatAdapter;
  embeddings?: EmbeddingAdapter;
  responses?: ResponsesAdapter;
  anthropicMessages?: AnthropicMessagesAdapter;
}

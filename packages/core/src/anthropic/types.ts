/**
 * Anthropic Messages API wire types (the inbound `/v1/messages` surface and the
 * Anthropic upstream). Field names are the wire names. Only the blocks and
 * events Portcullis translates are modelled precisely; anything else travels
 * as an `OtherContentBlock` so native passthrough never loses it.
 */

export type CacheControl = { type: "ephemeral"; ttl?: "5m" | "1h" };

export interface TextBlockParam {
  type: "text";
  text: string;
  cache_control?: CacheControl | null;
  citations?: unknown[] | null;
}

export type ImageSource =
  | { type: "base64"; media_type: string; data: string }
  | { type: "url"; url: string }
  | { type: "file"; file_id: string };

export interface ImageBlockParam {
  type: "image";
  source: ImageSource;
  cache_control?: CacheControl | null;
}

export interface DocumentBlockParam {
  type: "document";
  source: { type: string; [extra: string]: unknown };
  title?: string | null;
  context?: string | null;
  cache_control?: CacheControl | null;
  [extra: string]: unknown;
}

export interface ToolUseBlockParam {
  type: "tool_use";
  id: string;
  name: string;
  input: Record<string, unknown>;
  cache_control?: CacheControl | null;
}

export interface ToolResultBlockParam {
  type: "tool_result";
  tool_use_id: string;
  content?: string | Array<TextBlockParam | ImageBlockParam | DocumentBlockParam | OtherContentBlock>;
  is_error?: boolean;
  cache_control?: CacheControl | null;
}

export interface ThinkingBlockParam {
  type: "thinking";
  thinking: string;
  signature: string;
}

export interface RedactedThinkingBlockParam {
  type: "redacted_thinking";
  data: string;
}

/** A block type Portcullis does not model (server tools, search results, ...). */
export interface OtherContentBlock {
  type: string;
  [extra: string]: unknown;
}

export type KnownContentBlockParam =
  | TextBlockParam
  | ImageBlockParam
  | DocumentBlockParam
  | ToolUseBlockParam
  | ToolResultBlockParam
  | ThinkingBlockParam
  | RedactedThinkingBlockParam;

export type ContentBlockParam = KnownContentBlockParam | OtherContentBlock;

export interface MessageParam {
  /** `system` appears in newer API versions as an in-conversation instruction. */
  role: "user" | "assistant" | "system";
  content: string | ContentBlockParam[];
}

export interface ToolParam {
  /** Absent or "custom" for client tools; server tools carry a versioned type. */
  type?: string;
  name: string;
  description?: string;
  input_schema?: Record<string, unknown>;
  cache_control?: CacheControl | null;
  [extra: string]: unknown;
}

export type ToolChoiceParam =
  | { type: "auto"; disable_parallel_tool_use?: boolean }
  | { type: "any"; disable_parallel_tool_use?: boolean }
  | { type: "tool"; name: string; disable_parallel_tool_use?: boolean }
  | { type: "none" };

export type ThinkingConfigParam =
  | { type: "enabled"; budget_tokens: number; display?: string }
  | { type: "disabled" }
  | { type: "adaptive"; [extra: string]: unknown };

export interface MessagesRequest {
  model: string;
  max_tokens: number;
  messages: MessageParam[];
  system?: string | TextBlockParam[];
  stop_sequences?: string[];
  stream?: boolean;
  temperature?: number;
  top_p?: number;
  top_k?: number;
  tools?: ToolParam[];
  tool_choice?: ToolChoiceParam;
  thinking?: ThinkingConfigParam;
  metadata?: { user_id?: string | null; [extra: string]: unknown };
  service_tier?: string;
  [extra: string]: unknown;
}

export type CountTokensRequest = Omit<MessagesRequest, "max_tokens" | "stream" | "stop_sequences" | "temperature" | "top_p" | "top_k"> & { max_tokens?: number };

export interface CountTokensResponse {
  input_tokens: number;
}

/* ---------- responses ---------- */

export interface TextBlock { type: "text"; text: string; citations?: unknown[] | null }
export interface ToolUseBlock { type: "tool_use"; id: string; name: string; input: Record<string, unknown> }
export interface ThinkingBlock { type: "thinking"; thinking: string; signature: string }
export interface RedactedThinkingBlock { type: "redacted_thinking"; data: string }
export type ContentBlock = TextBlock | ToolUseBlock | ThinkingBlock | RedactedThinkingBlock;

export type StopReason =
  | "end_turn"
  | "max_tokens"
  | "stop_sequence"
  | "tool_use"
  | "pause_turn"
  | "refusal"
  | "model_context_window_exceeded";

export interface AnthropicUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  service_tier?: string | null;
}

export interface MessagesResponse {
  id: string;
  type: "message";
  role: "assistant";
  model: string;
  content: ContentBlock[];
  stop_reason: StopReason | null;
  stop_sequence: string | null;
  usage: AnthropicUsage;
}

/* ---------- stream events ---------- */

export type ContentBlockDelta =
  | { type: "text_delta"; text: string }
  | { type: "input_json_delta"; partial_json: string }
  | { type: "thinking_delta"; thinking: string }
  | { type: "signature_delta"; signature: string }
  | { type: "citations_delta"; citation: unknown };

export interface MessageStartEvent { type: "message_start"; message: MessagesResponse }
export interface ContentBlockStartEvent { type: "content_block_start"; index: number; content_block: ContentBlock }
export interface ContentBlockDeltaEvent { type: "content_block_delta"; index: number; delta: ContentBlockDelta }
export interface ContentBlockStopEvent { type: "content_block_stop"; index: number }
export interface MessageDeltaUsage {
  output_tokens: number;
  input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
}
export interface MessageDeltaEvent {
  type: "message_delta";
  delta: { stop_reason: StopReason | null; stop_sequence: string | null };
  usage: MessageDeltaUsage;
}
export interface MessageStopEvent { type: "message_stop" }
export interface PingEvent { type: "ping" }
export interface ErrorEvent { type: "error"; error: { type: string; message: string } }

export type MessageStreamEvent =
  | MessageStartEvent
  | ContentBlockStartEvent
  | ContentBlockDeltaEvent
  | ContentBlockStopEvent
  | MessageDeltaEvent
  | MessageStopEvent
  | PingEvent
  | ErrorEvent;

export interface AnthropicErrorResponse {
  type: "error";
  error: { type: string; message: string };
  request_id?: string;
}

import type { PortcullisError } from "./errors";

/** The `type` OpenAI uses for each status family. */
function openAiType(status: number): string {
  if (status === 401) return "authentication_error";
  if (status === 403) return "permission_error";
  if (status === 404) return "not_found_error";
  if (status === 429) return "rate_limit_error";
  if (status >= 500) return "server_error";
  return "invalid_request_error";
}

/** The `error.type` Anthropic documents for each status. */
function anthropicType(status: number): string {
  switch (status) {
    case 400: return "invalid_request_error";
    case 401: return "authentication_error";
    case 402: return "billing_error";
    case 403: return "permission_error";
    case 404: return "not_found_error";
    case 413: return "request_too_large";
    case 429: return "rate_limit_error";
    case 504: return "timeout_error";
    case 529: return "overloaded_error";
    default: return status >= 500 ? "api_error" : "invalid_request_error";
  }
}

export interface OpenAiErrorBody {
  error: { message: string; type: string; param: string | null; code: string; request_id?: string };
}

/** An upstream provider's own error type, kept so the caller sees what the provider said. */
function upstreamType(err: PortcullisError): string | undefined {
  const t = err.details?.upstream_type;
  return typeof t === "string" && t ? t : undefined;
}

export function toOpenAiError(err: PortcullisError, requestId?: string): OpenAiErrorBody {
  return {
    error: {
      message: err.message,
      type: upstreamType(err) ?? openAiType(err.status),
      param: err.param ?? null,
      code: err.code,
      ...(requestId ? { request_id: requestId } : {}),
    },
  };
}

export interface AnthropicErrorBody {
  type: "error";
  error: { type: string; message: string; code?: string };
  request_id?: string;
}

export function toAnthropicError(err: PortcullisError, requestId?: string): AnthropicErrorBody {
  return {
    type: "error",
    error: { type: upstreamType(err) ?? anthropicType(err.status), message: err.message, code: err.code },
    ...(requestId ? { request_id: requestId } : {}),
  };
}

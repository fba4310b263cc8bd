import { bytesToText, isRecord, retryAfterFromHeaders } from "../shared/http";
import type { UpstreamError } from "../types";

const statusByType: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

/** HTTP status Anthropic documents for an error type (used for mid-stream `error` events). */
export function anthropicErrorStatus(type: string): number {
  return statusByType[type] ?? 500;
}

/** `{type:"error", error:{type, message}}` -> UpstreamError. */
export function anthropicErrorFromObject(status: number | undefined, obj: unknown, fallbackText: string): UpstreamError {
  const inner = isRecord(obj) && isRecord(obj["error"]) ? obj["error"] : undefined;
  const type = typeof inner?.["type"] === "string" ? inner["type"] : undefined;
  const message = typeof inner?.["message"] === "string" ? inner["message"] : fallbackText.trim() || "Anthropic returned an error";
  const resolved = status ?? anthropicErrorStatus(type ?? "api_error");
  return { status: resolved, type: type ?? (resolved >= 500 ? "api_error" : "invalid_request_error"), message: message.slice(0, 2000) };
}

export function parseAnthropicError(status: number, headers: Headers, body: Uint8Array, nowMs: number): UpstreamError {
  const text = bytesToText(body);
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch {
    obj = undefined;
  }
  const err = anthropicErrorFromObject(status, obj, text);
  const retryAfter = retryAfterFromHeaders(headers, nowMs);
  if (retryAfter !== undefined) err.retryAfterSeconds = retryAfter;
  return err;
}

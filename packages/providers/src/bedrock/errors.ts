/**
 * Bedrock errors: the type is in the `x-amzn-errortype` header
 * (`ThrottlingException:http://internal.amazon.com/...`) or the body's `__type`
 * (`com.amazon.coral.service#UnrecognizedClientException`); the body is
 * `{"message": "..."}` (some front ends spell it `Message`).
 */
import type { UpstreamError } from "../types";

/** HTTP status of each documented Bedrock runtime exception (also used for stream exceptions). */
export const bedrockExceptionStatus: Record<string, number> = {
  AccessDeniedException: 403,
  UnrecognizedClientException: 403,
  InvalidSignatureException: 403,
  ExpiredTokenException: 403,
  IncompleteSignatureException: 403,
  ValidationException: 400,
  ResourceNotFoundException: 404,
  ModelTimeoutException: 408,
  ModelErrorException: 424,
  ModelStreamErrorException: 424,
  ThrottlingException: 429,
  ModelNotReadyException: 429,
  ServiceQuotaExceededException: 400,
  InternalServerException: 500,
  ServiceUnavailableException: 503,
};

export function parseBedrockError(status: number, headers: Headers, body: Uint8Array): UpstreamError {
  const text = new TextDecoder().decode(body);
  let parsed: Record<string, unknown> = {};
  try {
    const v: unknown = JSON.parse(text);
    if (v && typeof v === "object" && !Array.isArray(v)) parsed = v as Record<string, unknown>;
  } catch {
    // Not JSON (a proxy's HTML page, an empty body): fall back to the status.
  }
  const headerType = headers.get("x-amzn-errortype")?.split(":")[0];
  const bodyType = typeof parsed.__type === "string" ? parsed.__type.split("#").pop() : undefined;
  const type = headerType || bodyType || `http_${status}`;
  const rawMessage = parsed.message ?? parsed.Message;
  const message = typeof rawMessage === "string" ? rawMessage : text.slice(0, 500) || `bedrock returned HTTP ${status}`;
  const error: UpstreamError = { status, type, message };
  const retryAfter = parseRetryAfter(headers.get("retry-after"));
  if (retryAfter !== undefined) error.retryAfterSeconds = retryAfter;
  return error;
}

/** A ConverseStream exception frame (`:exception-type` is lower camel case, e.g. `throttlingException`). */
export function bedrockStreamException(exceptionType: string, payload: Uint8Array): UpstreamError {
  const type = exceptionType.charAt(0).toUpperCase() + exceptionType.slice(1);
  let message = `bedrock stream exception ${type}`;
  try {
    const v = JSON.parse(new TextDecoder().decode(payload)) as { message?: unknown; Message?: unknown };
    const m = v.message ?? v.Message;
    if (typeof m === "string") message = m;
  } catch {
    // keep the generic message
  }
  return { status: bedrockExceptionStatus[type] ?? 502, type, message };
}

export function parseRetryAfter(value: string | null): number | undefined {
  if (value === null) return undefined;
  const n = Number(value);
  if (Number.isFinite(n) && n >= 0) return Math.ceil(n);
  return undefined;
}

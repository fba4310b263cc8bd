import { PortcullisError, type ErrorCode } from "@portcullis/core";
import type { UpstreamError } from "../types";

function codeFor(status: number): ErrorCode {
  if (status === 429) return "rate_limited";
  if (status === 408 || status === 504) return "upstream_timeout";
  if (status === 503 || status === 529) return "upstream_unavailable";
  if (status === 404) return "model_not_found";
  if (status === 413) return "payload_too_large";
  // The provider rejected Portcullis's own credentials: the client's key is fine.
  if (status === 401 || status === 403) return "upstream_error";
  if (status >= 400 && status < 500) return "bad_request";
  return "upstream_error";
}

/**
 * Renders a provider error in Portcullis terms. Client errors keep the
 * provider's status and message (the caller can fix the request); provider
 * faults become 502/503/504 so clients and retries treat them as such.
 */
export function upstreamErrorToPortcullis(err: UpstreamError, provider: string): PortcullisError {
  const code = codeFor(err.status);
  const keepStatus = code === "bad_request" || code === "rate_limited";
  const message = err.status === 401 || err.status === 403 ? `${provider} rejected the configured credentials` : err.message;
  return new PortcullisError({
    code,
    message,
    ...(keepStatus ? { status: err.status } : {}),
    ...(err.param ? { param: err.param } : {}),
    ...(err.retryAfterSeconds !== undefined ? { retryAfter: Math.ceil(err.retryAfterSeconds) } : {}),
    details: { provider, upstream_status: err.status, upstream_type: err.type, ...(err.code ? { upstream_code: err.code } : {}) },
  });
}

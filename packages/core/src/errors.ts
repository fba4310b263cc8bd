/**
 * One error model for every process. Each code has exactly one HTTP status
 * (`codeToStatus` is exhaustive) and says whether a retry can help.
 */
export const errorCodes = [
  "bad_request",
  "invalid_json",
  "invalid_field",
  "payload_too_large",
  "header_too_large",
  "unsupported_media_type",
  "unauthenticated",
  "invalid_key",
  "key_revoked",
  "key_disabled",
  "key_expired",
  "ip_not_allowed",
  "forbidden",
  "model_not_allowed",
  "provider_not_allowed",
  "endpoint_not_allowed",
  "tenant_header_missing",
  "tenant_header_invalid",
  "not_found",
  "model_not_found",
  "conflict",
  "rate_limited",
  "budget_exceeded",
  "guardrail_blocked",
  "upstream_error",
  "upstream_timeout",
  "upstream_unavailable",
  "stream_incomplete",
  "no_healthy_target",
  "counters_unavailable",
  "not_ready",
  "internal",
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export function codeToStatus(code: ErrorCode): number {
  switch (code) {
    case "bad_request":
    case "invalid_json":
    case "invalid_field":
    case "tenant_header_missing":
    case "tenant_header_invalid":
      return 400;
    case "unauthenticated":
    case "invalid_key":
    case "key_revoked":
    case "key_disabled":
    case "key_expired":
      return 401;
    case "forbidden":
    case "ip_not_allowed":
    case "model_not_allowed":
    case "provider_not_allowed":
    case "endpoint_not_allowed":
    case "guardrail_blocked":
      return 403;
    case "budget_exceeded":
      return 402;
    case "not_found":
    case "model_not_found":
      return 404;
    case "conflict":
      return 409;
    case "payload_too_large":
      return 413;
    case "unsupported_media_type":
      return 415;
    case "header_too_large":
      return 431;
    case "rate_limited":
      return 429;
    case "upstream_error":
    case "stream_incomplete":
      return 502;
    case "upstream_unavailable":
    case "no_healthy_target":
    case "counters_unavailable":
    case "not_ready":
      return 503;
    case "upstream_timeout":
      return 504;
    case "internal":
      return 500;
  }
}

export function isRetryable(code: ErrorCode): boolean {
  switch (code) {
    case "rate_limited":
    case "upstream_error":
    case "upstream_timeout":
    case "upstream_unavailable":
    case "no_healthy_target":
    case "counters_unavailable":
    case "not_ready":
      return true;
    default:
      return false;
  }
}

export interface PortcullisErrorInit {
  code: ErrorCode;
  message: string;
  /** Overrides the code's status, e.g. to keep an upstream's own status. */
  status?: number;
  /** The field, header, policy or limit the error is about. */
  param?: string;
  /** Seconds until a retry may succeed (sent as `retry-after`). */
  retryAfter?: number;
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class PortcullisError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryable: boolean;
  readonly param: string | undefined;
  readonly retryAfter: number | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(init: PortcullisErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "PortcullisError";
    this.code = init.code;
    this.status = init.status ?? codeToStatus(init.code);
    this.retryable = isRetryable(init.code);
    this.param = init.param;
    this.retryAfter = init.retryAfter;
    this.details = init.details;
  }
}

export function isPortcullisError(e: unknown): e is PortcullisError {
  return e instanceof PortcullisError;
}

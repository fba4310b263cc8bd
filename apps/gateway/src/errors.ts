import type { Context } from "hono";
import { PortcullisError, toAnthropicError, toOpenAiError } from "@portcullis/core";

/** Any thrown value as a PortcullisError; unknown errors become an opaque `internal`. */
export function asPortcullisError(e: unknown): PortcullisError {
  if (e instanceof PortcullisError) return e;
  return new PortcullisError({ code: "internal", message: "internal error", cause: e });
}

/** The error in the caller's protocol shape, with `retry-after` when known. */
export function errorResponse(c: Context, e: unknown): Response {
  const err = asPortcullisError(e);
  const requestId = c.get("requestId");
  const body = c.get("protocol") === "anthropic" ? toAnthropicError(err, requestId) : toOpenAiError(err, requestId);
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (requestId) {
    headers["x-request-id"] = requestId;
    c.set("requestIdSent", true);
  }
  if (err.retryAfter !== undefined) headers["retry-after"] = String(err.retryAfter);
  for (const [k, v] of Object.entries((err.details?.headers as Record<string, string> | undefined) ?? {})) headers[k] = v;
  return new Response(JSON.stringify(body), { status: err.status, headers });
}

/**
 * Google API errors: `{"error": {"code", "message", "status", "details"}}`.
 * Streaming endpoints sometimes wrap it in an array. A `RetryInfo` detail
 * (`"retryDelay": "30s"`) becomes `retryAfterSeconds`.
 */
import type { UpstreamError } from "../types";
import type { GoogleErrorBody } from "./gemini-types";

export function parseGoogleError(status: number, headers: Headers, body: Uint8Array): UpstreamError {
  const text = new TextDecoder().decode(body);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const error = googleErrorOf(Array.isArray(parsed) ? parsed[0] : parsed);
  const result: UpstreamError = error
    ? { status, type: error.status ?? `http_${status}`, message: error.message }
    : { status, type: `http_${status}`, message: text.slice(0, 500) || `upstream returned HTTP ${status}` };
  const retryAfter = retryDelaySeconds(error) ?? headerRetryAfter(headers.get("retry-after"));
  if (retryAfter !== undefined) result.retryAfterSeconds = retryAfter;
  return result;
}

export function googleErrorOf(v: unknown): GoogleErrorBody["error"] | undefined {
  if (typeof v !== "object" || v === null) return undefined;
  const e = (v as { error?: unknown }).error;
  if (typeof e !== "object" || e === null || typeof (e as { message?: unknown }).message !== "string") return undefined;
  return e as GoogleErrorBody["error"];
}

function retryDelaySeconds(error: GoogleErrorBody["error"] | undefined): number | undefined {
  for (const d of error?.details ?? []) {
    if (d["@type"] === "type.googleapis.com/google.rpc.RetryInfo" && typeof d.retryDelay === "string") {
      const m = /^(\d+(?:\.\d+)?)s$/.exec(d.retryDelay);
      if (m) return Math.ceil(Number(m[1]));
    }
  }
  return undefined;
}

function headerRetryAfter(value: string | null): number | undefined {
  if (value === null) return undefined;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? Math.ceil(n) : undefined;
}

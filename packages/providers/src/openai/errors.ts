import { bytesToText, isRecord, retryAfterFromHeaders } from "../shared/http";
import type { UpstreamError } from "../types";

function defaultType(status: number): string {
  if (status === 401) return "authentication_error";
  if (status === 403) return "permission_error";
  if (status === 404) return "not_found_error";
  if (status === 429) return "rate_limit_error";
  if (status >= 500) return "server_error";
  return "invalid_request_error";
}

/**
 * Reads an OpenAI-family error object: `{error:{message,type,code,param}}`
 * (OpenAI), `{error:{code,message}}` (Azure), `{message}` / `{detail}` (some
 * compatible servers) or plain text.
 */
export function errorFromObject(status: number, obj: unknown, fallbackText: string): UpstreamError {
  const root = Array.isArray(obj) ? obj[0] : obj;
  const inner = isRecord(root) && isRecord(root["error"]) ? root["error"] : isRecord(root) ? root : undefined;
  const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : typeof v === "number" ? String(v) : undefined);
  const message =
    str(inner?.["message"]) ?? (isRecord(root) ? str(root["detail"]) ?? str(root["error"]) : undefined) ?? (fallbackText.trim() || `upstream returned HTTP ${status}`);
  const code = str(inner?.["code"]);
  const param = str(inner?.["param"]);
  const err: UpstreamError = { status, type: str(inner?.["type"]) ?? code ?? defaultType(status), message: message.slice(0, 2000) };
  if (code !== undefined) err.code = code;
  if (param !== undefined) err.param = param;
  return err;
}

export function parseOpenAiError(status: number, headers: Headers, body: Uint8Array, nowMs: number): UpstreamError {
  const text = bytesToText(body);
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch {
    obj = undefined;
  }
  const err = errorFromObject(status, obj, text);
  const retryAfter = retryAfterFromHeaders(headers, nowMs);
  if (retryAfter !== undefined) err.retryAfterSeconds = retryAfter;
  return err;
}

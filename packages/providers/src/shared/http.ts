import { PortcullisError } from "@portcullis/core";
import type { Credentials, Target } from "../types";

/** Joins a base URL and a path without doubling or dropping the slash. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;
}

/** The target's base URL, or the provider's documented default. */
export function baseUrlOf(target: Target, fallback: string | undefined): string {
  const base = target.baseUrl.trim() || fallback;
  if (!base) {
    throw new PortcullisError({ code: "internal", message: `provider ${target.provider} needs a base URL`, param: "baseUrl" });
  }
  return base;
}

/** `Authorization: Bearer` from whichever credential kind carries a token. */
export function bearerHeader(credentials: Credentials): Record<string, string> {
  switch (credentials.kind) {
    case "api-key":
      return { authorization: `Bearer ${credentials.apiKey}` };
    case "bearer":
      return { authorization: `Bearer ${credentials.token}` };
    case "gcp-token":
      return { authorization: `Bearer ${credentials.accessToken}` };
    case "none":
      return {};
    case "aws":
      throw new PortcullisError({ code: "internal", message: "AWS credentials cannot authenticate this provider", param: "credentials" });
  }
}

/**
 * Seconds to wait from `retry-after-ms` (OpenAI, Azure) or `retry-after`
 * (seconds or an HTTP date). `nowMs` anchors the date form.
 */
export function retryAfterFromHeaders(headers: Headers, nowMs: number): number | undefined {
  const ms = headers.get("retry-after-ms");
  if (ms !== null && ms.trim() !== "" && Number.isFinite(Number(ms))) return Math.max(0, Number(ms) / 1000);
  const value = headers.get("retry-after");
  if (value === null || value.trim() === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - nowMs) / 1000));
}

const decoder = new TextDecoder();

export function bytesToText(body: Uint8Array): string {
  return decoder.decode(body);
}

/** Parses an upstream success body; a body that is not JSON is an upstream fault. */
export function parseUpstreamJson(body: Uint8Array, provider: string): unknown {
  try {
    return JSON.parse(bytesToText(body));
  } catch {
    throw new PortcullisError({ code: "upstream_error", message: `${provider} returned a body that is not JSON` });
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function jsonHeaders(extra?: Record<string, string>): Record<string, string> {
  return { "content-type": "application/json", accept: "application/json", ...extra };
}

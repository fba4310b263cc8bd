import { PortcullisError } from "@portcullis/core";
import { baseUrlOf } from "../shared/http";
import type { Target } from "../types";

export const ANTHROPIC_DEFAULT_BASE_URL = "https://api.anthropic.com";
/** The version whose semantics the canonical translation targets. */
export const ANTHROPIC_DEFAULT_VERSION = "2023-06-01";

/** `{base}/v1/{path}`; a base that already ends in `/v1` is accepted too. */
export function anthropicUrl(target: Target, path: "messages" | "messages/count_tokens"): string {
  const base = baseUrlOf(target, ANTHROPIC_DEFAULT_BASE_URL).replace(/\/+$/, "").replace(/\/v1$/, "");
  return `${base}/v1/${path}`;
}

/** `x-api-key` for a console key, `Authorization: Bearer` for an OAuth/bearer token. */
export function anthropicAuthHeaders(target: Target): Record<string, string> {
  const c = target.credentials;
  switch (c.kind) {
    case "api-key":
      return { "x-api-key": c.apiKey };
    case "bearer":
      return { authorization: `Bearer ${c.token}` };
    case "none":
      return {};
    default:
      throw new PortcullisError({ code: "internal", message: "Anthropic needs an API key or a bearer token", param: "credentials" });
  }
}

export function anthropicHeaders(target: Target, version: string, opts: { stream: boolean; beta?: string }): Record<string, string> {
  return {
    "content-type": "application/json",
    accept: opts.stream ? "text/event-stream" : "application/json",
    "anthropic-version": version,
    ...(opts.beta ? { "anthropic-beta": opts.beta } : {}),
    ...anthropicAuthHeaders(target),
    ...target.headers,
  };
}

/**
 * `max_tokens` is required by Anthropic but optional in OpenAI's API. When the
 * client gives none, use the model's documented output ceiling.
 */
export function defaultAnthropicMaxTokens(model: string): number {
  const m = model.toLowerCase();
  if (/claude-3-(opus|sonnet|haiku)-\d{8}/.test(m)) return 4096;
  if (m.includes("claude-3-5")) return 8192;
  if (/claude-opus-4(-0|-1|-2025)|claude-opus-4$/.test(m)) return 32000;
  if (m.includes("claude-3-7") || /claude-(sonnet|haiku|opus)-[4-9]/.test(m)) return 64000;
  return 4096;
}

/** Gemini API (generativelanguage.googleapis.com) endpoints and authentication headers. */
import { PortcullisError } from "@portcullis/core";
import type { Target } from "../types";

export const defaultGeminiBaseUrl = "https://generativelanguage.googleapis.com";

export type GeminiMethod = "generateContent" | "streamGenerateContent" | "embedContent" | "batchEmbedContents";

/** Accepts `gemini-2.0-flash` or `models/gemini-2.0-flash`. */
export function geminiModelName(model: string): string {
  return model.replace(/^models\//, "");
}

export function geminiUrl(target: Target, method: GeminiMethod): string {
  const base = (target.baseUrl || defaultGeminiBaseUrl).replace(/\/+$/, "");
  const version = target.apiVersion ?? "v1beta";
  const suffix = method === "streamGenerateContent" ? "?alt=sse" : "";
  return `${base}/${version}/models/${encodeURIComponent(geminiModelName(target.model))}:${method}${suffix}`;
}

export function geminiHeaders(target: Target, stream: boolean): Record<string, string> {
  const headers: Record<string, string> = {
    ...target.headers,
    "content-type": "application/json",
    accept: stream ? "text/event-stream" : "application/json",
  };
  const c = target.credentials;
  if (c.kind === "api-key") headers["x-goog-api-key"] = c.apiKey;
  else if (c.kind === "bearer") headers.authorization = `Bearer ${c.token}`;
  else if (c.kind === "gcp-token") headers.authorization = `Bearer ${c.accessToken}`;
  else throw new PortcullisError({ code: "internal", message: `gemini target needs an API key, got "${c.kind}" credentials` });
  return headers;
}

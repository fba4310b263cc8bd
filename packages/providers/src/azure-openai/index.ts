/**
 * Azure OpenAI: the deployment is in the path and the API version in the
 * query (`/openai/deployments/{deployment}/chat/completions?api-version=`),
 * or the version-less v1 API (`apiVersion: "v1"` -> `/openai/v1/...`, model in
 * the body). Auth is the resource key (`api-key`) or an Entra token (Bearer).
 * Bodies and streams are OpenAI's, so the OpenAI transforms are reused.
 */
import { PortcullisError } from "@portcullis/core";
import { baseUrlOf } from "../shared/http";
import type { ProviderAdapter, Target } from "../types";
import { createOpenAiWireAdapter, type OpenAiOperation } from "../openai/wire-adapter";

export const AZURE_OPENAI_DEFAULT_API_VERSION = "2024-10-21";
/** The Responses API exists only in preview versions of the deployments API. */
export const AZURE_OPENAI_RESPONSES_API_VERSION = "2025-03-01-preview";

/** Accepts `https://res.openai.azure.com`, with or without a trailing `/openai`. */
function resourceBase(target: Target): string {
  return baseUrlOf(target, undefined).replace(/\/+$/, "").replace(/\/openai$/, "");
}

export function azureOpenAiUrl(target: Target, op: OpenAiOperation): string {
  const base = resourceBase(target);
  const version = target.apiVersion ?? AZURE_OPENAI_DEFAULT_API_VERSION;
  if (version === "v1") return `${base}/openai/v1/${op}`;
  if (op === "responses") {
    const v = version.includes("preview") ? version : AZURE_OPENAI_RESPONSES_API_VERSION;
    return `${base}/openai/responses?api-version=${encodeURIComponent(v)}`;
  }
  return `${base}/openai/deployments/${encodeURIComponent(target.model)}/${op}?api-version=${encodeURIComponent(version)}`;
}

export function azureOpenAiAuthHeaders(target: Target): Record<string, string> {
  const c = target.credentials;
  switch (c.kind) {
    case "api-key":
      return { "api-key": c.apiKey };
    case "bearer":
      return { authorization: `Bearer ${c.token}` };
    case "none":
      return {};
    default:
      throw new PortcullisError({ code: "internal", message: "Azure OpenAI needs an api-key or an Entra bearer token", param: "credentials" });
  }
}

export function createAzureOpenAiAdapter(opts: { now?: () => number } = {}): ProviderAdapter {
  return createOpenAiWireAdapter({
    type: "azure-openai",
    url: azureOpenAiUrl,
    authHeaders: azureOpenAiAuthHeaders,
    streamUsage: "stream-options",
    nativeBase64Embeddings: true,
    supportsResponses: true,
    ...(opts.now ? { now: opts.now } : {}),
  });
}

export const azureOpenAiAdapter: ProviderAdapter = createAzureOpenAiAdapter();

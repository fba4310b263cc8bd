import { baseUrlOf, bearerHeader, joinUrl } from "../shared/http";
import type { Target } from "../types";
import type { OpenAiOperation } from "./wire-adapter";

export const OPENAI_DEFAULT_BASE_URL = "https://api.openai.com/v1";

/** `{baseUrl}/chat/completions` where baseUrl includes the version segment (`.../v1`). */
export function openAiUrl(target: Target, op: OpenAiOperation, defaultBaseUrl: string | undefined): string {
  return joinUrl(baseUrlOf(target, defaultBaseUrl), op);
}

export function openAiAuthHeaders(target: Target): Record<string, string> {
  return bearerHeader(target.credentials);
}

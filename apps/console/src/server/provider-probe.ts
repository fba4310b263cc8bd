/**
 * "Test connection" for a provider key: the credential is resolved on the server (never
 * sent to the browser) and, for providers with a model-listing endpoint, the upstream is
 * asked for its models with it. Other providers report the resolution only.
 */
export interface ProbeInput {
  type: string;
  baseUrl: string | null;
  apiVersion: string | null;
  secret: string;
}

export interface ProbeResult {
  ok: boolean;
  /** What was checked, in words: "resolved the credential", "GET …/models answered 200". */
  message: string;
}

const openAiShaped = new Set(["openai", "openai-compatible", "mistral", "groq", "deepseek", "xai", "together", "fireworks", "openrouter", "ollama", "vllm"]);
const defaultBase: Record<string, string> = { openai: "https://api.openai.com/v1", anthropic: "https://api.anthropic.com" };

export function probeRequest(input: ProbeInput): { url: string; headers: Record<string, string> } | null {
  const base = (input.baseUrl ?? defaultBase[input.type])?.replace(/\/+$/, "");
  if (!base) return null;
  if (openAiShaped.has(input.type)) return { url: `${base}/models`, headers: input.secret ? { authorization: `Bearer ${input.secret}` } : {} };
  if (input.type === "anthropic") {
    const root = base.endsWith("/v1") ? base : `${base}/v1`;
    return { url: `${root}/models`, headers: { "x-api-key": input.secret, "anthropic-version": "2023-06-01" } };
  }
  return null;
}

export async function probeProvider(input: ProbeInput, fetchImpl: typeof fetch = fetch, timeoutMs = 5000): Promise<ProbeResult> {
  const request = probeRequest(input);
  if (!request) return { ok: true, message: `Resolved the credential; ${input.type} has no model-listing check here.` };
  try {
    const res = await fetchImpl(request.url, { headers: request.headers, signal: AbortSignal.timeout(timeoutMs), redirect: "error" });
    await res.body?.cancel();
    const where = `GET ${request.url}`;
    if (res.ok) return { ok: true, message: `Resolved the credential; ${where} answered ${res.status}.` };
    return { ok: false, message: `${where} answered ${res.status}${res.status === 401 || res.status === 403 ? " (credential refused)" : ""}.` };
  } catch (e) {
    // Network errors name the host, never the credential.
    return { ok: false, message: `Could not reach ${new URL(request.url).host}: ${e instanceof Error ? e.message : String(e)}.` };
  }
}

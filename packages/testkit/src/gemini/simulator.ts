/**
 * Wire-exact Gemini API simulator: API-key checked `generateContent`,
 * `streamGenerateContent?alt=sse`, `embedContent` and `batchEmbedContents`,
 * with Google's error bodies and the shared fault injection.
 */
import { sendJson, startSimulator, type RouteContext, type SimulatorHandle, type SimulatorOptions } from "../shared/server";
import { simEmbedding } from "../shared/text";
import { serveGenerate } from "./generate";
import { googleError, googleFaultResponse } from "./google-errors";

export interface GeminiSimulatorOptions extends SimulatorOptions {
  /** Models it knows; others get 404 NOT_FOUND. Default: any. */
  models?: string[];
}

export async function startGeminiSimulator(opts: GeminiSimulatorOptions = {}): Promise<SimulatorHandle> {
  return startSimulator({
    errorResponse: googleFaultResponse("generativelanguage.googleapis.com"),
    async route(ctx) {
      const { req, res, recorded } = ctx;
      const m = /^\/(v1beta|v1)\/models\/([^/:]+):(generateContent|streamGenerateContent|embedContent|batchEmbedContents)$/.exec(recorded.path);
      if (req.method !== "POST" || !m) {
        googleError(res, 404, "Requested entity was not found.");
        return;
      }
      const key = recorded.headers["x-goog-api-key"] ?? recorded.query.get("key") ?? undefined;
      if (!key) {
        googleError(res, 403, "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.");
        return;
      }
      if (opts.apiKey !== undefined && key !== opts.apiKey) {
        googleError(res, 400, "API key not valid. Please pass a valid API key.", [
          { "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "API_KEY_INVALID", domain: "googleapis.com", metadata: { service: "generativelanguage.googleapis.com" } },
        ]);
        return;
      }
      const [, version, rawModel, method] = m as unknown as [string, string, string, string];
      const model = decodeURIComponent(rawModel);
      if (opts.models && !opts.models.includes(model)) {
        googleError(res, 404, `models/${model} is not found for API version ${version}, or is not supported for ${method}. Call ListModels to see the list of available models and their supported methods.`);
        return;
      }
      if (method === "embedContent" || method === "batchEmbedContents") {
        serveEmbed(ctx, method);
        return;
      }
      if (method === "streamGenerateContent" && recorded.query.get("alt") !== "sse") {
        googleError(res, 400, "This simulator streams only with alt=sse.");
        return;
      }
      await serveGenerate(ctx, { model, stream: method === "streamGenerateContent", flavor: "gemini" });
    },
  }, opts);
}

interface EmbedRequest { content?: { parts?: Array<{ text?: string }> }; outputDimensionality?: number }

function serveEmbed({ res, recorded }: RouteContext, method: string): void {
  const body = (recorded.body ?? {}) as EmbedRequest & { requests?: EmbedRequest[] };
  const one = (r: EmbedRequest) => ({ values: simEmbedding((r.content?.parts ?? []).map((p) => p.text ?? "").join(""), r.outputDimensionality ?? 8) });
  if (method === "embedContent") {
    if (!body.content?.parts?.length) {
      googleError(res, 400, "* EmbedContentRequest.content: contents is not specified\n");
      return;
    }
    sendJson(res, 200, { embedding: one(body) });
    return;
  }
  if (!Array.isArray(body.requests) || body.requests.length === 0) {
    googleError(res, 400, "* BatchEmbedContentsRequest.requests: requests is not specified\n");
    return;
  }
  sendJson(res, 200, { embeddings: body.requests.map(one) });
}

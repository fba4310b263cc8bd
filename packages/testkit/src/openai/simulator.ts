import { sendJson, startSimulator, type SimulatorHandle, type SimulatorOptions } from "../shared/server";
import { respondChat, validateChat } from "./chat";
import { embeddingResponse } from "./embeddings";
import { respondResponses } from "./responses";

export const OPENAI_SIM_MODELS = ["gpt-4o-mini", "gpt-4o", "gpt-4.1", "text-embedding-3-small", "text-embedding-3-large"];

export function openAiError(message: string, type: string, param: string | null = null, code: string | null = null) {
  return { error: { message, type, param, code } };
}

function typeForStatus(status: number): string {
  if (status === 429) return "rate_limit_exceeded";
  if (status >= 500) return "server_error";
  return "invalid_request_error";
}

/**
 * OpenAI at `{url}/v1`: chat completions (JSON and SSE, tools, include_usage),
 * embeddings (float and base64), models, responses. Auth: `Authorization: Bearer`.
 */
export function startOpenAiSimulator(opts: SimulatorOptions = {}): Promise<SimulatorHandle> {
  return startSimulator(
    {
      errorResponse(status, message) {
        const headers: Record<string, string> = status === 429 ? { "x-ratelimit-remaining-requests": "0" } : {};
        return { body: openAiError(message, typeForStatus(status), null, status === 429 ? "rate_limit_exceeded" : null), headers };
      },
      async route(ctx) {
        const { recorded, res } = ctx;
        const auth = recorded.headers["authorization"];
        if (!auth?.startsWith("Bearer ") || auth.length <= 7) {
          sendJson(res, 401, openAiError("You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).", "invalid_request_error"));
          return;
        }
        if (opts.apiKey !== undefined && auth.slice(7) !== opts.apiKey) {
          sendJson(res, 401, openAiError("Incorrect API key provided.", "invalid_request_error", null, "invalid_api_key"));
          return;
        }
        const key = `${recorded.method} ${recorded.path}`;
        const body = recorded.body as Record<string, unknown>;
        switch (key) {
          case "POST /v1/chat/completions": {
            const bad = validateChat(recorded.body);
            if (bad) return sendJson(res, bad.status, openAiError(bad.message, "invalid_request_error", bad.param));
            return respondChat(ctx, body, { model: String(body["model"]) });
          }
          case "POST /v1/embeddings": {
            const model = typeof body?.["model"] === "string" ? body["model"] : "";
            const out = body && model ? embeddingResponse(body, model) : undefined;
            if (!out) return sendJson(res, 400, openAiError("'input' is invalid or missing.", "invalid_request_error", "input"));
            return sendJson(res, 200, out);
          }
          case "POST /v1/responses": {
            if (typeof body?.["model"] !== "string") return sendJson(res, 400, openAiError("Missing required parameter: 'model'.", "invalid_request_error", "model"));
            return respondResponses(ctx, body, body["model"]);
          }
          case "GET /v1/models":
            return sendJson(res, 200, { object: "list", data: OPENAI_SIM_MODELS.map((id) => ({ id, object: "model", created: 1_700_000_000, owned_by: "system" })) });
          default:
            return sendJson(res, 404, openAiError(`Invalid URL (${recorded.method} ${recorded.path})`, "invalid_request_error"));
        }
      },
    },
    opts,
  );
}

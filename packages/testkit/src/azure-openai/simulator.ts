import { sendJson, startSimulator, type SimulatorHandle, type SimulatorOptions } from "../shared/server";
import { respondChat, validateChat } from "../openai/chat";
import { embeddingResponse } from "../openai/embeddings";

export const AZURE_SIM_API_VERSIONS = ["2024-02-01", "2024-06-01", "2024-10-21", "2024-08-01-preview", "2024-12-01-preview", "2025-03-01-preview", "2025-04-01-preview"];

export interface AzureSimulatorOptions extends SimulatorOptions {
  /** Deployment name -> model. Absent: every deployment exists and serves a model of its own name. */
  deployments?: Record<string, string>;
  /** A Microsoft Entra token accepted as `Authorization: Bearer`. */
  entraToken?: string;
}

const azureError = (code: string, message: string) => ({ error: { code, message } });

const filterOk = { filtered: false, severity: "safe" };
const contentFilter = { hate: filterOk, self_harm: filterOk, sexual: filterOk, violence: filterOk };
const promptFilter = [{ prompt_index: 0, content_filter_results: contentFilter }];

/**
 * Azure OpenAI: `/openai/deployments/{deployment}/{chat/completions|embeddings}?api-version=`
 * and the v1 API (`/openai/v1/...`, model in the body). Auth: `api-key` or an
 * Entra bearer token. Missing api-version -> 404 "Resource not found";
 * unsupported -> 400; unknown deployment -> 404 DeploymentNotFound. Answers
 * carry content-filter annotations, and streams open with Azure's
 * prompt-filter chunk (empty `choices`).
 */
export function startAzureOpenAiSimulator(opts: AzureSimulatorOptions = {}): Promise<SimulatorHandle> {
  return startSimulator(
    {
      errorResponse(status, message, faults) {
        if (status === 429) {
          const wait = faults.retryAfter ?? 1;
          return {
            body: azureError("429", `Requests to the ChatCompletions_Create Operation under Azure OpenAI API have exceeded call rate limit. Please retry after ${wait} seconds.`),
            headers: { "retry-after": String(wait), "retry-after-ms": String(wait * 1000) },
          };
        }
        return { body: azureError(String(status), message) };
      },
      async route(ctx) {
        const { recorded, res } = ctx;
        const key = recorded.headers["api-key"];
        const auth = recorded.headers["authorization"];
        const bearer = auth?.startsWith("Bearer ") ? auth.slice(7) : undefined;
        const keyOk = key !== undefined && key !== "" && (opts.apiKey === undefined || key === opts.apiKey);
        const tokenOk = bearer !== undefined && bearer !== "" && (opts.entraToken === undefined ? opts.apiKey === undefined : bearer === opts.entraToken);
        if (!keyOk && !tokenOk) {
          sendJson(res, 401, azureError("401", "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource."));
          return;
        }
        const v1 = /^\/openai\/v1\/(chat\/completions|embeddings)$/.exec(recorded.path);
        const dep = /^\/openai\/deployments\/([^/]+)\/(chat\/completions|embeddings)$/.exec(recorded.path);
        if (recorded.method !== "POST" || (!v1 && !dep)) {
          sendJson(res, 404, azureError("404", "Resource not found"));
          return;
        }
        const body = recorded.body as Record<string, unknown>;
        let model: string;
        let op: string;
        if (dep) {
          const version = recorded.query.get("api-version");
          if (!version) return sendJson(res, 404, azureError("404", "Resource not found"));
          if (!AZURE_SIM_API_VERSIONS.includes(version)) return sendJson(res, 400, azureError("BadRequest", "API version not supported"));
          const deployment = decodeURIComponent(dep[1] ?? "");
          const mapped = opts.deployments ? opts.deployments[deployment] : deployment;
          if (mapped === undefined) {
            return sendJson(res, 404, azureError("DeploymentNotFound", "The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again."));
          }
          model = mapped;
          op = dep[2] ?? "";
        } else {
          const name = typeof body?.["model"] === "string" ? body["model"] : "";
          const mapped = opts.deployments ? opts.deployments[name] : name || undefined;
          if (mapped === undefined) return sendJson(res, 404, azureError("DeploymentNotFound", `The API deployment ${name} does not exist.`));
          model = mapped;
          op = v1?.[1] ?? "";
        }
        if (op === "embeddings") {
          const out = body ? embeddingResponse(body, model) : undefined;
          if (!out) return sendJson(res, 400, azureError("BadRequest", "'input' is invalid or missing."));
          return sendJson(res, 200, out);
        }
        const bad = validateChat(recorded.body);
        if (bad && bad.message !== "you must provide a model parameter") {
          return sendJson(res, bad.status, { error: { code: null, message: bad.message, param: bad.param, type: "invalid_request_error" } });
        }
        const preamble = [{ choices: [], created: 0, id: "", model: "", object: "", prompt_filter_results: promptFilter }];
        return respondChat(ctx, body, { model, extra: { prompt_filter_results: promptFilter }, choiceExtra: { content_filter_results: contentFilter }, preamble });
      },
    },
    opts,
  );
}

import { Hono } from "hono";
import { PortcullisError, parseOrThrow, responsesRequestSchema } from "@portcullis/core";
import { estimateEmbeddingTokens, normalizeOpenAiUsage, type NormalizedUsage } from "@portcullis/policy";
import { createSseParser, getAdapter, type StreamDecoder } from "@portcullis/providers";
import type { Usage } from "@portcullis/core";
import { asPortcullisError } from "../errors";
import { jsonBody } from "../middleware/json-body";
import { endpoint, protocol } from "../middleware/protocol";
import { tenantHeaders } from "../middleware/tenant";
import { virtualKeyAuth } from "../middleware/virtual-key-auth";
import { planRoute } from "../routing/router";
import { routeAttempts } from "../upstream/attempts";
import { admitAttempt } from "../upstream/chat-exchange";
import { buildTarget } from "../upstream/credentials";
import { passthrough } from "../upstream/passthrough";
import { sendUpstream } from "../upstream/send";
import { outcomeOf, RequestTrace } from "../upstream/trace";

interface ResponsesUsage { input_tokens?: number; output_tokens?: number; total_tokens?: number; input_tokens_details?: { cached_tokens?: number } }

function usageOf(u: ResponsesUsage | undefined): NormalizedUsage | undefined {
  if (!u) return undefined;
  return normalizeOpenAiUsage({ prompt_tokens: u.input_tokens ?? 0, completion_tokens: u.output_tokens ?? 0, prompt_tokens_details: { cached_tokens: u.input_tokens_details?.cached_tokens ?? 0 } });
}

/**
 * Watches a Responses event stream: usage from `response.completed`, which is also its terminal
 * event and carries the whole response (handed to `onFinal`, for the request log's body).
 */
function responsesWatcher(onFinal: (response: unknown) => void): StreamDecoder {
  const sse = createSseParser();
  let usage: Usage | undefined;
  let done = false;
  const see = (events: ReturnType<typeof sse.push>) => {
    for (const e of events) {
      if (!e.data || e.data === "[DONE]") continue;
      try {
        const j = JSON.parse(e.data) as { type?: string; response?: { usage?: ResponsesUsage } };
        if (j.type === "response.completed" || j.type === "response.incomplete" || j.type === "response.failed") {
          done = true;
          onFinal(j.response);
          const n = usageOf(j.response?.usage);
          if (n) usage = { prompt_tokens: n.inputTokens + n.cachedReadTokens, completion_tokens: n.outputTokens, total_tokens: n.inputTokens + n.cachedReadTokens + n.outputTokens, prompt_tokens_details: { cached_tokens: n.cachedReadTokens } };
        }
      } catch {
        // A malformed event is the client's to see; billing uses what was parsed.
      }
    }
    return events.length ? [{ id: "", object: "chat.completion.chunk" as const, created: 0, model: "", choices: [] }] : [];
  };
  return {
    push: (bytes) => see(sse.push(bytes)),
    end: () => {
      see(sse.end().events);
      return { chunks: [], complete: done };
    },
    usage: () => usage,
  };
}

/** POST /v1/responses — OpenAI's Responses API, passed through to OpenAI-family upstreams. */
export const responsesRoute = new Hono().post("/v1/responses", protocol("openai"), virtualKeyAuth(), tenantHeaders(), endpoint("responses"), jsonBody(), async (c) => {
  const services = c.get("services");
  const body = c.get("body");
  const trace = new RequestTrace(c, "responses", body.stream === true);
  try {
    const req = parseOrThrow(responsesRequestSchema, body) as { model: string; input?: unknown; max_output_tokens?: number; stream?: boolean };
    trace.record.modelRequested = req.model;
    const plan = planRoute(c, req.model, services.circuits);
    const input = typeof req.input === "string" ? req.input : JSON.stringify(req.input ?? "");
    return await routeAttempts(c, trace, plan, async (resolved, attempt) => {
      const adapter = getAdapter(resolved.provider.type);
      if (!adapter.responses) {
        throw new PortcullisError({ code: "bad_request", message: `provider "${resolved.provider.name}" (${resolved.provider.type}) does not serve the Responses API; use /v1/chat/completions`, param: "model" });
      }
      const admission = await admitAttempt(c, trace, resolved, estimateEmbeddingTokens(input), req.max_output_tokens);
      const target = await buildTarget(resolved, services.secrets, services.vertexTokens).catch(async (e: unknown) => {
        await admission.settle(undefined);
        throw e;
      });
      const up = adapter.responses.buildResponsesRequest({ ...body, model: resolved.upstreamModel }, target, { now: new Date(services.now()), requestId: c.get("requestId") });
      const res = await sendUpstream(c, up, resolved, adapter.chat.parseError, attempt.timeoutMs).catch(async (e: unknown) => {
        await admission.settle(undefined);
        throw e;
      });
      return passthrough(c, {
        res, up, admission, trace, provider: resolved.provider.name,
        usageOfJson: (json) => usageOf((json as { usage?: ResponsesUsage }).usage),
        ...(up.stream ? { watcher: responsesWatcher((r) => trace.responseBody(r)) } : {}),
        incompleteEvent: (err) => `event: error\ndata: ${JSON.stringify({ type: "error", code: err.code, message: err.message, param: err.param ?? null })}\n\n`,
      });
    });
  } catch (e) {
    const err = asPortcullisError(e);
    trace.finish(err.status, outcomeOf(err.code), err.code);
    throw err;
  }
});

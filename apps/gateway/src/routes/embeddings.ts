import { Hono } from "hono";
import { PortcullisError, embeddingRequestSchema, parseOrThrow, type EmbeddingRequest } from "@portcullis/core";
import { estimateEmbeddingTokens, normalizeOpenAiUsage } from "@portcullis/policy";
import { getAdapter } from "@portcullis/providers";
import { asPortcullisError } from "../errors";
import { respondJson } from "../lib/respond";
import { jsonBody } from "../middleware/json-body";
import { endpoint, protocol } from "../middleware/protocol";
import { tenantHeaders } from "../middleware/tenant";
import { virtualKeyAuth } from "../middleware/virtual-key-auth";
import { planRoute } from "../routing/router";
import { routeAttempts } from "../upstream/attempts";
import { admitAttempt } from "../upstream/chat-exchange";
import { buildTarget } from "../upstream/credentials";
import { readUpstreamJson, sendUpstream } from "../upstream/send";
import { outcomeOf, RequestTrace } from "../upstream/trace";

/** POST /v1/embeddings — OpenAI Embeddings to any provider with an embeddings adapter. */
export const embeddingsRoute = new Hono().post("/v1/embeddings", protocol("openai"), virtualKeyAuth(), tenantHeaders(), endpoint("embeddings"), jsonBody(), async (c) => {
  const services = c.get("services");
  const trace = new RequestTrace(c, "embeddings", false);
  try {
    const req = parseOrThrow(embeddingRequestSchema, c.get("body")) as EmbeddingRequest;
    trace.record.modelRequested = req.model;
    const plan = planRoute(c, req.model, services.circuits);
    return await routeAttempts(c, trace, plan, async (resolved, attempt) => {
      const adapter = getAdapter(resolved.provider.type);
      if (!adapter.embeddings) {
        throw new PortcullisError({ code: "bad_request", message: `provider "${resolved.provider.name}" (${resolved.provider.type}) has no embeddings API`, param: "model" });
      }
      const { headers, settle } = await admitAttempt(c, trace, resolved, estimateEmbeddingTokens(req.input), 0);
      try {
        const target = await buildTarget(resolved, services.secrets, services.vertexTokens);
        const ctx = { now: new Date(services.now()), requestId: c.get("requestId") };
        const up = adapter.embeddings.buildEmbeddingRequest({ ...req, model: resolved.upstreamModel }, target, ctx);
        const res = await sendUpstream(c, up, resolved, adapter.chat.parseError, attempt.timeoutMs);
        const response = adapter.embeddings.parseEmbeddingResponse(await readUpstreamJson(res), target, req);
        await settle(normalizeOpenAiUsage(response.usage));
        trace.responseBody(response);
        trace.finish(200, "success");
        return respondJson(c, response, 200, headers);
      } catch (e) {
        await settle(undefined);
        throw e;
      }
    });
  } catch (e) {
    const err = asPortcullisError(e);
    trace.finish(err.status, outcomeOf(err.code), err.code);
    throw err;
  }
});

import { Hono, type Context } from "hono";
import { countTokensRequestSchema, messagesRequestSchema, parseOrThrow, toAnthropicError, type MessagesRequest } from "@portcullis/core";
import { estimatePromptTokens, normalizeAnthropicUsage } from "@portcullis/policy";
import {
  anthropicRequestToCanonical, canonicalResponseToAnthropic, createAnthropicStreamDecoder, createAnthropicStreamEncoder, getAdapter,
} from "@portcullis/providers";
import { asPortcullisError } from "../errors";
import { respond, respondJson } from "../lib/respond";
import { sseBody, sseHeaders } from "../lib/sse";
import { jsonBody } from "../middleware/json-body";
import { endpoint, protocol } from "../middleware/protocol";
import { tenantHeaders } from "../middleware/tenant";
import { virtualKeyAuth } from "../middleware/virtual-key-auth";
import type { ResolvedTarget } from "../routing/resolve-targets";
import { planRoute } from "../routing/router";
import { routeAttempts, type AttemptContext } from "../upstream/attempts";
import { admitAttempt, runChat } from "../upstream/chat-exchange";
import { buildTarget } from "../upstream/credentials";
import { passthrough } from "../upstream/passthrough";
import { sendUpstream } from "../upstream/send";
import { outcomeOf, RequestTrace } from "../upstream/trace";

const errorEvent = (type: string, message: string) => `event: error\ndata: ${JSON.stringify({ type: "error", error: { type, message } })}\n\n`;

/** Anthropic-native targets get the client's body as is (thinking blocks, cache control, betas intact). */
async function native(c: Context, body: Record<string, unknown>, resolved: ResolvedTarget, trace: RequestTrace, countTokens: boolean, attempt: AttemptContext): Promise<Response> {
  const services = c.get("services");
  const adapter = getAdapter(resolved.provider.type);
  const req = body as unknown as MessagesRequest;
  const admission = countTokens
    ? { headers: trace.targetHeaders(resolved), settle: async () => {} }
    : await admitAttempt(c, trace, resolved, estimatePromptTokens(anthropicRequestToCanonical(req)), req.max_tokens);
  if (countTokens) trace.target(resolved);
  const target = await buildTarget(resolved, services.secrets, services.vertexTokens).catch(async (e: unknown) => {
    await admission.settle(undefined);
    throw e;
  });
  const ctx = { now: new Date(services.now()), requestId: c.get("requestId") };
  const up = adapter.anthropicMessages!.buildMessagesRequest({ ...body, model: resolved.upstreamModel }, target, ctx, {
    countTokens,
    ...(c.req.header("anthropic-version") ? { anthropicVersion: c.req.header("anthropic-version")! } : {}),
    ...(c.req.header("anthropic-beta") ? { anthropicBeta: c.req.header("anthropic-beta")! } : {}),
  });
  const res = await sendUpstream(c, up, resolved, adapter.chat.parseError, attempt.timeoutMs).catch(async (e: unknown) => {
    await admission.settle(undefined);
    throw e;
  });
  return passthrough(c, {
    res, up, admission, trace, provider: resolved.provider.name,
    usageOfJson: (json) => {
      const u = (json as { usage?: Parameters<typeof normalizeAnthropicUsage>[0] }).usage;
      return u && !countTokens ? normalizeAnthropicUsage(u) : undefined;
    },
    ...(up.stream ? { watcher: createAnthropicStreamDecoder({ created: Math.floor(services.now() / 1000), includeUsage: false }) } : {}),
    incompleteEvent: (err) => errorEvent("api_error", err.message),
  });
}

async function translated(c: Context, req: MessagesRequest, resolved: ResolvedTarget, trace: RequestTrace, attempt: AttemptContext): Promise<Response> {
  const canonical = anthropicRequestToCanonical(req);
  const out = await runChat(c, canonical, trace, resolved, attempt);
  if (out.kind === "json") {
    const response = canonicalResponseToAnthropic(out.response, { model: req.model });
    trace.responseBody(response);
    trace.finish(200, "success");
    return respondJson(c, response, 200, out.headers);
  }
  const encoder = createAnthropicStreamEncoder({ model: req.model, inputTokens: estimatePromptTokens(canonical) });
  const stream = sseBody(
    out.chunks,
    (chunk) => encoder.push(chunk),
    (end) => {
      if (end.complete) {
        trace.finish(200, "success");
        return encoder.end();
      }
      const err = end.error!;
      trace.finish(200, "incomplete", err.code);
      return encoder.error(toAnthropicError(err).error.type, err.message);
    },
    () => trace.finish(499, "incomplete", "stream_incomplete"),
  );
  return respond(c, stream, 200, { ...sseHeaders, ...out.headers });
}

/** POST /v1/messages and /v1/messages/count_tokens — the Anthropic Messages API, to any provider. */
export const messagesRoute = new Hono()
  .post("/v1/messages", protocol("anthropic"), virtualKeyAuth(), tenantHeaders(), endpoint("messages"), jsonBody(), async (c) => {
    const body = c.get("body");
    const trace = new RequestTrace(c, "messages", body.stream === true);
    try {
      const req = parseOrThrow(messagesRequestSchema, body) as unknown as MessagesRequest;
      trace.record.modelRequested = req.model;
      // Each target gets the protocol it speaks: natively to Anthropic, translated elsewhere, so a
      // fallback can cross providers.
      return await routeAttempts(c, trace, planRoute(c, req.model, c.get("services").circuits), (resolved, attempt) =>
        getAdapter(resolved.provider.type).anthropicMessages ? native(c, body, resolved, trace, false, attempt) : translated(c, req, resolved, trace, attempt),
      );
    } catch (e) {
      const err = asPortcullisError(e);
      trace.finish(err.status, outcomeOf(err.code), err.code);
      throw err;
    }
  })
  .post("/v1/messages/count_tokens", protocol("anthropic"), virtualKeyAuth(), tenantHeaders(), endpoint("count_tokens"), jsonBody(), async (c) => {
    const body = c.get("body");
    const trace = new RequestTrace(c, "count_tokens", false);
    try {
      const req = parseOrThrow(countTokensRequestSchema, body) as unknown as MessagesRequest;
      trace.record.modelRequested = req.model;
      const resolved = planRoute(c, req.model, c.get("services").circuits).targets[0]!;
      if (getAdapter(resolved.provider.type).anthropicMessages) return await native(c, body, resolved, trace, true, { timeoutMs: c.get("services").upstreamTimeoutMs });
      // Other providers have no counting endpoint: the same estimate admission uses.
      trace.target(resolved);
      trace.finish(200, "success");
      return respondJson(c, { input_tokens: estimatePromptTokens(anthropicRequestToCanonical({ ...req, max_tokens: 1 })) }, 200, { "x-portcullis-token-count": "estimate" });
    } catch (e) {
      const err = asPortcullisError(e);
      trace.finish(err.status, outcomeOf(err.code), err.code);
      throw err;
    }
  });

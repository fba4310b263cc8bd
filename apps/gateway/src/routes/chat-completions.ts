import { Hono } from "hono";
import { toOpenAiError, type ChatRequest } from "@portcullis/core";
import { asPortcullisError } from "../errors";
import { parseChatRequest } from "../lib/chat-request";
import { respond, respondJson } from "../lib/respond";
import { sseBody, sseHeaders } from "../lib/sse";
import { jsonBody } from "../middleware/json-body";
import { endpoint, protocol } from "../middleware/protocol";
import { tenantHeaders } from "../middleware/tenant";
import { virtualKeyAuth } from "../middleware/virtual-key-auth";
import { planRoute } from "../routing/router";
import { routeAttempts } from "../upstream/attempts";
import { runChat } from "../upstream/chat-exchange";
import { outcomeOf, RequestTrace } from "../upstream/trace";

/** POST /v1/chat/completions — OpenAI Chat Completions, streaming and not, to any provider. */
export const chatCompletionsRoute = new Hono().post("/v1/chat/completions", protocol("openai"), virtualKeyAuth(), tenantHeaders(), endpoint("chat"), jsonBody(), async (c) => {
  const body = c.get("body");
  const trace = new RequestTrace(c, "chat", body.stream === true);
  try {
    const req = parseChatRequest(body);
    trace.record.params = paramsOf(req);
    trace.record.modelRequested = req.model;
    const plan = planRoute(c, req.model, c.get("services").circuits);
    const out = await routeAttempts(c, trace, plan, (target, attempt) => runChat(c, req, trace, target, attempt));
    if (out.kind === "json") {
      trace.responseBody(out.response);
      trace.finish(200, "success");
      return respondJson(c, out.response, 200, out.headers);
    }
    const stream = sseBody(
      out.chunks,
      (chunk) => `data: ${JSON.stringify(chunk)}\n\n`,
      (end) => {
        if (end.complete) {
          trace.finish(200, "success");
          return "data: [DONE]\n\n";
        }
        // Never a silent success: the client sees an error event and no [DONE].
        const err = end.error!;
        trace.finish(200, "incomplete", err.code);
        return `data: ${JSON.stringify(toOpenAiError(err, c.get("requestId")))}\n\n`;
      },
      () => trace.finish(499, "incomplete", "stream_incomplete"),
    );
    return respond(c, stream, 200, { ...sseHeaders, ...out.headers });
  } catch (e) {
    const err = asPortcullisError(e);
    trace.finish(err.status, outcomeOf(err.code), err.code);
    throw err;
  }
});

/** The sampling parameters worth keeping in the request log (never the messages). */
export function paramsOf(req: ChatRequest): Record<string, unknown> {
  const keep = ["max_tokens", "max_completion_tokens", "temperature", "top_p", "n", "stop", "seed", "presence_penalty", "frequency_penalty", "tool_choice", "parallel_tool_calls", "reasoning_effort", "stream"] as const;
  const out: Record<string, unknown> = {};
  for (const k of keep) if (req[k] !== undefined) out[k] = req[k];
  if (req.tools?.length) out.tools = req.tools.length;
  if (req.response_format) out.response_format = req.response_format.type;
  return out;
}

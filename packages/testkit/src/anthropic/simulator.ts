import type { ServerResponse } from "node:http";
import { sendJson, startSimulator, type RouteContext, type SimulatorHandle, type SimulatorOptions } from "../shared/server";
import { createSseWriter } from "../shared/sse-writer";
import { splitPieces } from "../shared/text";
import { countInputTokens, planMessage, type SimBlock } from "./plan";

export const ANTHROPIC_SIM_VERSIONS = ["2023-01-01", "2023-06-01", "2026-10-21"];
export const ANTHROPIC_SIM_MODELS = ["claude-sonnet-5-5", "claude-haiku-5-5", "claude-opus-5-5", "claude-sonnet-4-5"];

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

const errorTypeByStatus: Record<number, string> = {
  400: "invalid_request_error", 401: "authentication_error", 402: "billing_error", 403: "permission_error",
  404: "not_found_error", 413: "request_too_large", 429: "rate_limit_error", 500: "api_error", 504: "timeout_error", 529: "overloaded_error",
};

export function anthropicErrorBody(status: number, message: string, requestId?: string) {
  return {
    type: "error",
    error: { type: errorTypeByStatus[status] ?? (status >= 500 ? "api_error" : "invalid_request_error"), message },
    ...(requestId ? { request_id: requestId } : {}),
  };
}

function fail(res: ServerResponse, status: number, message: string, n: number): void {
  const id = `req_sim_${n}`;
  sendJson(res, status, anthropicErrorBody(status, message, id), { "request-id": id });
}

/** The checks the Messages API applies, with its messages (`field: problem`, dotted paths). */
function validate(body: unknown, countTokens: boolean, version: string): string | undefined {
  if (!isObj(body)) return "There was an issue with the request body: expected a JSON object";
  if (typeof body["model"] !== "string") return "model: Field required";
  if (!countTokens && typeof body["max_tokens"] !== "number") return "max_tokens: Field required";
  if (!Array.isArray(body["messages"])) return "messages: Field required";
  for (const [i, m] of body["messages"].entries()) {
    if (!isObj(m) || (m["role"] !== "user" && m["role"] !== "assistant")) return `messages.${i}.role: Input should be 'user' or 'assistant'`;
    if (typeof m["content"] !== "string" && !Array.isArray(m["content"])) return `messages.${i}.content: Input should be a valid list`;
  }
  if (version === "2026-10-21") {
    for (const field of ["temperature", "top_p", "top_k"]) {
      if (body[field] !== undefined) return `${field}: is not supported with anthropic-version 2026-10-21`;
    }
  }
  return undefined;
}

function startBlock(b: SimBlock): Json {
  if (b.type === "text") return { type: "text", text: "" };
  if (b.type === "thinking") return { type: "thinking", thinking: "", signature: "" };
  return { type: "tool_use", id: b.id, name: b.name, input: {} };
}

async function respondMessage(ctx: RouteContext, body: Json, cache: Set<string>): Promise<void> {
  const plan = planMessage(body, ctx.n, cache);
  const id = `msg_sim_${ctx.n}`;
  const model = String(body["model"]);
  const requestId = `req_sim_${ctx.n}`;
  const usage = { ...plan.usage, service_tier: "standard" };
  if (body["stream"] !== true) {
    sendJson(ctx.res, 200, {
      id, type: "message", role: "assistant", model, content: plan.blocks, stop_reason: plan.stopReason, stop_sequence: plan.stopSequence, usage,
    }, { "request-id": requestId });
    return;
  }
  const w = createSseWriter(ctx.res, ctx.faults, {
    headers: { "request-id": requestId },
    inBandError: () => ({ event: "error", data: anthropicErrorBody(529, "Overloaded", requestId) }),
  });
  const send = (type: string, fields: Json) => w.event({ type, ...fields }, type);
  const startUsage = { ...plan.usage, output_tokens: 1, service_tier: "standard" };
  if (!(await send("message_start", { message: { id, type: "message", role: "assistant", model, content: [], stop_reason: null, stop_sequence: null, usage: startUsage } }))) return;
  for (const [index, b] of plan.blocks.entries()) {
    if (!(await send("content_block_start", { index, content_block: startBlock(b) }))) return;
    if (index === 0 && !(await send("ping", {}))) return;
    const deltas: Json[] =
      b.type === "text"
        ? splitPieces(b.text).map((text) => ({ type: "text_delta", text }))
        : b.type === "thinking"
          ? [...splitPieces(b.thinking).map((thinking) => ({ type: "thinking_delta", thinking })), { type: "signature_delta", signature: b.signature }]
          : (() => {
              const json = JSON.stringify(b.input);
              const half = Math.ceil(json.length / 2);
              return ["", json.slice(0, half), json.slice(half)].map((partial_json) => ({ type: "input_json_delta", partial_json }));
            })();
    for (const delta of deltas) if (!(await send("content_block_delta", { index, delta }))) return;
    if (!(await send("content_block_stop", { index }))) return;
  }
  if (!(await send("message_delta", { delta: { stop_reason: plan.stopReason, stop_sequence: plan.stopSequence }, usage: { output_tokens: plan.usage.output_tokens } }))) return;
  await w.terminal({ type: "message_stop" }, "message_stop");
  w.end();
}

/**
 * Anthropic Messages at `{url}/v1/messages` (JSON and the documented SSE event
 * sequence), `/v1/messages/count_tokens`, `/v1/models`. Auth: `x-api-key` or
 * `Authorization: Bearer`; `anthropic-version` required. Errors are
 * `{type:"error", error:{type,message}}`; 529 is `overloaded_error`.
 */
export function startAnthropicSimulator(opts: SimulatorOptions = {}): Promise<SimulatorHandle> {
  const cache = new Set<string>();
  return startSimulator(
    {
      errorResponse(status, message, faults) {
        const text = status === 529 ? "Overloaded" : message;
        const headers: Record<string, string> = status === 429 && faults.retryAfter === undefined ? { "retry-after": "1" } : {};
        return { body: anthropicErrorBody(status, text), headers };
      },
      async route(ctx) {
        const { recorded, res, n } = ctx;
        const key = recorded.headers["x-api-key"];
        const auth = recorded.headers["authorization"];
        const presented = key ?? (auth?.startsWith("Bearer ") ? auth.slice(7) : undefined);
        if (!presented) return fail(res, 401, "x-api-key header is required", n);
        if (opts.apiKey !== undefined && presented !== opts.apiKey) return fail(res, 401, "invalid x-api-key", n);
        const version = recorded.headers["anthropic-version"];
        if (!version) return fail(res, 400, "anthropic-version: header is required", n);
        if (!ANTHROPIC_SIM_VERSIONS.includes(version)) return fail(res, 400, `anthropic-version: "${version}" is not a valid version`, n);

        const route = `${recorded.method} ${recorded.path}`;
        if (route === "GET /v1/models") {
          const data = ANTHROPIC_SIM_MODELS.map((id) => ({ type: "model", id, display_name: id, created_at: "2025-01-01T00:00:00Z" }));
          return sendJson(res, 200, { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data[data.length - 1]?.id ?? null });
        }
        if (route !== "POST /v1/messages" && route !== "POST /v1/messages/count_tokens") return fail(res, 404, "Not found", n);
        const countTokens = route.endsWith("count_tokens");
        const problem = validate(recorded.body, countTokens, version);
        if (problem) return fail(res, 400, problem, n);
        const body = recorded.body as Json;
        if (countTokens) return sendJson(res, 200, { input_tokens: countInputTokens(body) }, { "request-id": `req_sim_${n}` });
        return respondMessage(ctx, body, cache);
      },
    },
    opts,
  );
}

import type { RouteContext } from "../shared/server";
import { sendJson } from "../shared/server";
import { createSseWriter } from "../shared/sse-writer";
import { applyStop, simTokenCount, splitPieces, truncateToTokens } from "../shared/text";

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

export function messageText(m: unknown): string {
  if (!isObj(m)) return "";
  const c = m["content"];
  let text = typeof c === "string" ? c : Array.isArray(c) ? c.map((p) => (isObj(p) && typeof p["text"] === "string" ? p["text"] : "")).join("") : "";
  if (Array.isArray(m["tool_calls"])) {
    for (const tc of m["tool_calls"]) if (isObj(tc) && isObj(tc["function"])) text += String(tc["function"]["arguments"] ?? "");
  }
  return text;
}

export interface ChatPlan {
  text: string | null;
  toolCall?: { id: string; name: string; arguments: string };
  finish: "stop" | "length" | "tool_calls";
  promptTokens: number;
  completionTokens: number;
}

/**
 * The simulated model: answers `Echo: <last user text>`; with tools offered
 * (and tool_choice not "none") after a user turn it calls the chosen or first
 * tool with `{"input": <last user text>}`; after a tool result it answers
 * `Tool result: <content>`. Prompt tokens count the text of every message
 * joined with "\n"; completion tokens count the reply text or the arguments.
 */
export function planChat(body: Json, n: number): ChatPlan {
  const messages = Array.isArray(body["messages"]) ? body["messages"] : [];
  const promptTokens = simTokenCount(messages.map(messageText).join("\n"));
  const last = messages[messages.length - 1];
  const lastRole = isObj(last) ? last["role"] : undefined;
  const lastUser = [...messages].reverse().find((m) => isObj(m) && m["role"] === "user");
  const userText = messageText(lastUser);
  const tools = Array.isArray(body["tools"]) ? body["tools"].filter(isObj) : [];
  const choice = body["tool_choice"];
  if (tools.length > 0 && choice !== "none" && lastRole === "user") {
    const named = isObj(choice) && isObj(choice["function"]) ? String(choice["function"]["name"]) : undefined;
    const first = tools[0];
    const name = named ?? (first && isObj(first["function"]) ? String(first["function"]["name"]) : "tool");
    const args = JSON.stringify({ input: userText });
    return { text: null, toolCall: { id: `call_sim_${n}`, name, arguments: args }, finish: "tool_calls", promptTokens, completionTokens: simTokenCount(args) };
  }
  const reply = lastRole === "tool" ? `Tool result: ${messageText(last)}` : `Echo: ${userText}`;
  const stops = typeof body["stop"] === "string" ? [body["stop"]] : Array.isArray(body["stop"]) ? body["stop"].map(String) : undefined;
  const stopped = applyStop(reply, stops);
  const max = typeof body["max_completion_tokens"] === "number" ? body["max_completion_tokens"] : typeof body["max_tokens"] === "number" ? body["max_tokens"] : undefined;
  const cut = truncateToTokens(stopped.text, max);
  return { text: cut.text, finish: cut.truncated ? "length" : "stop", promptTokens, completionTokens: simTokenCount(cut.text) };
}

export function openAiUsage(p: ChatPlan): Json {
  return {
    prompt_tokens: p.promptTokens,
    completion_tokens: p.completionTokens,
    total_tokens: p.promptTokens + p.completionTokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

export interface ChatResponder {
  /** Model name to report. */
  model: string;
  /** Extra top-level fields (Azure content filter results). */
  extra?: Json;
  /** Extra fields on each choice. */
  choiceExtra?: Json;
  /** Events written before the first chunk (Azure's prompt_filter_results chunk). */
  preamble?: Json[];
}

/** Writes a Chat Completions answer, JSON or SSE, for a validated body. */
export async function respondChat(ctx: RouteContext, body: Json, r: ChatResponder): Promise<void> {
  const plan = planChat(body, ctx.n);
  const id = `chatcmpl-sim-${ctx.n}`;
  const created = Math.floor(Date.now() / 1000);
  const toolCalls = plan.toolCall
    ? [{ id: plan.toolCall.id, type: "function", function: { name: plan.toolCall.name, arguments: plan.toolCall.arguments } }]
    : undefined;

  if (body["stream"] !== true) {
    const message: Json = { role: "assistant", content: plan.text, refusal: null, annotations: [] };
    if (toolCalls) message["tool_calls"] = toolCalls;
    sendJson(ctx.res, 200, {
      id, object: "chat.completion", created, model: r.model,
      choices: [{ index: 0, message, logprobs: null, finish_reason: plan.finish, ...r.choiceExtra }],
      usage: openAiUsage(plan), service_tier: "default", system_fingerprint: "fp_sim", ...r.extra,
    });
    return;
  }

  const includeUsage = isObj(body["stream_options"]) && body["stream_options"]["include_usage"] === true;
  const usageField = includeUsage ? { usage: null } : {};
  const chunk = (delta: Json, finish: string | null = null): Json => ({
    id, object: "chat.completion.chunk", created, model: r.model, service_tier: "default", system_fingerprint: "fp_sim",
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...usageField,
  });
  const w = createSseWriter(ctx.res, ctx.faults);
  for (const p of r.preamble ?? []) if (!(await w.event(p))) return;
  if (plan.toolCall) {
    const tc = plan.toolCall;
    if (!(await w.event(chunk({ role: "assistant", content: null, tool_calls: [{ index: 0, id: tc.id, type: "function", function: { name: tc.name, arguments: "" } }], refusal: null })))) return;
    const half = Math.ceil(tc.arguments.length / 2);
    for (const piece of [tc.arguments.slice(0, half), tc.arguments.slice(half)]) {
      if (!(await w.event(chunk({ tool_calls: [{ index: 0, function: { arguments: piece } }] })))) return;
    }
  } else {
    if (!(await w.event(chunk({ role: "assistant", content: "", refusal: null })))) return;
    for (const piece of splitPieces(plan.text ?? "")) if (!(await w.event(chunk({ content: piece })))) return;
  }
  if (!(await w.event(chunk({}, plan.finish)))) return;
  if (includeUsage) {
    const final = { id, object: "chat.completion.chunk", created, model: r.model, service_tier: "default", system_fingerprint: "fp_sim", choices: [], usage: openAiUsage(plan) };
    if (!(await w.event(final))) return;
  }
  await w.terminal("[DONE]");
  w.end();
}

/** The checks OpenAI applies before generating, with its messages. */
export function validateChat(body: unknown): { status: number; message: string; param: string | null } | undefined {
  if (!isObj(body)) return { status: 400, message: "We could not parse the JSON body of your request.", param: null };
  if (typeof body["model"] !== "string") return { status: 400, message: "you must provide a model parameter", param: null };
  if (!Array.isArray(body["messages"])) return { status: 400, message: "Missing required parameter: 'messages'.", param: "messages" };
  if (body["messages"].length === 0) return { status: 400, message: "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.", param: "messages" };
  if (body["stream_options"] !== undefined && body["stream_options"] !== null && body["stream"] !== true) {
    return { status: 400, message: "The 'stream_options' parameter is only allowed when 'stream' is enabled.", param: "stream_options" };
  }
  return undefined;
}

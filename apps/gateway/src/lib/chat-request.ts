import { chatCompletionRequestSchema, parseOrThrow, type ChatRequest } from "@portcullis/core";

/**
 * `parseOrThrow(chatCompletionRequestSchema, body)` with a hand-written fast path for the
 * common shape (text messages, scalar parameters). The fast path accepts only bodies the
 * schema accepts and returns what the schema would: fresh objects with the schema's keys
 * first, in its order, then unknown keys as sent, and top-level nulls dropped. Anything
 * it does not recognise (content parts, tools, tool calls, response formats, a bad
 * value...) goes to zod, so every error keeps zod's exact message.
 */
export function parseChatRequest(body: Record<string, unknown>): ChatRequest {
  return fastChatRequest(body) ?? (parseOrThrow(chatCompletionRequestSchema, body) as ChatRequest);
}

type Check = (v: unknown) => boolean;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isString: Check = (v) => typeof v === "string";
const isBoolean: Check = (v) => typeof v === "boolean";
const numberIn = (min: number, max: number): Check => (v) => typeof v === "number" && Number.isFinite(v) && v >= min && v <= max;
const intIn = (min: number, max: number): Check => (v) => Number.isSafeInteger(v) && (v as number) >= min && (v as number) <= max;
const efforts = new Set(["minimal", "low", "medium", "high"]);

/**
 * Top-level keys in the schema's order. `undefined` marks a known key the fast path
 * leaves to zod (nested shapes: tools, tool_choice, response_format, logit_bias, metadata).
 * `messages` and `stream_options` are handled apart.
 */
const topLevel: Array<[string, Check | undefined]> = [
  ["model", (v) => typeof v === "string" && v.length >= 1],
  ["messages", undefined],
  ["stream", isBoolean],
  ["stream_options", undefined],
  ["max_tokens", intIn(1, Number.MAX_SAFE_INTEGER)],
  ["max_completion_tokens", intIn(1, Number.MAX_SAFE_INTEGER)],
  ["temperature", numberIn(0, 2)],
  ["top_p", numberIn(0, 1)],
  ["n", intIn(1, 128)],
  ["stop", (v) => typeof v === "string" || (Array.isArray(v) && v.length <= 4 && v.every(isString))],
  ["seed", intIn(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)],
  ["presence_penalty", numberIn(-2, 2)],
  ["frequency_penalty", numberIn(-2, 2)],
  ["logit_bias", undefined],
  ["logprobs", isBoolean],
  ["top_logprobs", intIn(0, 20)],
  ["user", isString],
  ["tools", undefined],
  ["tool_choice", undefined],
  ["parallel_tool_calls", isBoolean],
  ["response_format", undefined],
  ["reasoning_effort", (v) => typeof v === "string" && efforts.has(v)],
  ["metadata", undefined],
];
const topLevelKeys = new Set(topLevel.map(([k]) => k));

/** Per role: the message schema's keys in order, each with its check (content: a plain string only). */
const roleShapes: Record<string, Array<[string, Check, boolean]>> = {
  system: [["role", isString, true], ["content", isString, true], ["name", isString, false]],
  user: [["role", isString, true], ["content", isString, true], ["name", isString, false]],
  // tool_calls (between name and reasoning_content in the schema) always takes zod's path.
  assistant: [["role", isString, true], ["content", (v) => v === null || typeof v === "string", true], ["name", isString, false], ["reasoning_content", isString, false]],
  tool: [["role", isString, true], ["content", isString, true], ["tool_call_id", isString, true]],
};
roleShapes.developer = roleShapes.system!;
const roleKeys: Record<string, Set<string>> = Object.fromEntries(Object.entries(roleShapes).map(([role, shape]) => [role, new Set(shape.map(([k]) => k))]));

/** Copies `from` with `shape` keys first, then the rest as sent; null values dropped (except those in `keepNull`). Undefined on `__proto__`. */
function reorder(from: Record<string, unknown>, shape: readonly string[], known: Set<string>, keepNull: string | undefined): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const k of shape) if (Object.hasOwn(from, k) && (from[k] !== null || k === keepNull)) out[k] = from[k];
  for (const k in from) {
    if (!Object.hasOwn(from, k) || known.has(k)) continue;
    if (k === "__proto__") return undefined;
    if (from[k] !== null) out[k] = from[k];
  }
  return out;
}

function fastMessage(m: unknown): Record<string, unknown> | undefined {
  if (!isRecord(m) || Object.getPrototypeOf(m) !== Object.prototype) return undefined;
  const shape = typeof m.role === "string" ? roleShapes[m.role] : undefined;
  if (!shape) return undefined;
  if (m.tool_calls !== undefined) return undefined;
  for (const [k, check, required] of shape) {
    const v = m[k];
    if (v === undefined || (v === null && k !== "content")) {
      if (required || v === null) return undefined;
      continue;
    }
    if (!check(v)) return undefined;
  }
  return reorder(m, shape.map(([k]) => k), roleKeys[m.role as string]!, "content");
}

/** The parsed request, or undefined when the body needs the full schema. */
export function fastChatRequest(body: Record<string, unknown>): ChatRequest | undefined {
  if (Object.getPrototypeOf(body) !== Object.prototype) return undefined;
  for (const [k, check] of topLevel) {
    const v = body[k];
    if (v === undefined || v === null) {
      if (k === "model" || k === "messages") return undefined;
      continue;
    }
    if (check ? !check(v) : k !== "messages" && k !== "stream_options") return undefined;
  }
  const rawMessages = body.messages;
  if (!Array.isArray(rawMessages) || rawMessages.length === 0) return undefined;
  const messages: Array<Record<string, unknown>> = [];
  for (const m of rawMessages) {
    const parsed = fastMessage(m);
    if (!parsed) return undefined;
    messages.push(parsed);
  }
  let streamOptions: Record<string, unknown> | undefined;
  const so = body.stream_options;
  if (so !== undefined && so !== null) {
    if (!isRecord(so) || Object.getPrototypeOf(so) !== Object.prototype) return undefined;
    if (so.include_usage !== undefined && typeof so.include_usage !== "boolean") return undefined;
    // Nested nulls are not dropped by the schema: leave them to it.
    for (const k in so) if (Object.hasOwn(so, k) && (so[k] === null || k === "__proto__")) return undefined;
    streamOptions = reorder(so, ["include_usage"], new Set(["include_usage"]), undefined);
  }
  const out = reorder(body, topLevel.map(([k]) => k), topLevelKeys, undefined);
  if (!out) return undefined;
  // Same position as the schema gives them: their keys are already in place.
  out.messages = messages;
  if (streamOptions) out.stream_options = streamOptions;
  if (Array.isArray(out.stop)) out.stop = [...(out.stop as string[])];
  return out as ChatRequest;
}

import { PortcullisError, type ChatMessage, type ChatRequest, type ContentPart } from "@portcullis/core";
import type {
  ContentBlockParam, ImageBlockParam, MessageParam, MessagesRequest, TextBlockParam, ThinkingConfigParam, ToolChoiceParam, ToolParam,
} from "@portcullis/core";
import { defaultAnthropicMaxTokens } from "./api";

export interface ToAnthropicOptions {
  /** Overrides the per-model default when the request has no max tokens. */
  defaultMaxTokens?: number;
}

const effortBudget = { minimal: 1024, low: 2048, medium: 8192, high: 16384 } as const;
const MIN_THINKING_BUDGET = 1024;

function invalid(param: string, message: string): PortcullisError {
  return new PortcullisError({ code: "invalid_field", param, message: `${param}: ${message}` });
}

/** `data:image/png;base64,...` -> base64 source; any other URL -> url source. */
export function imageUrlToBlock(url: string): ImageBlockParam {
  const m = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  if (m) return { type: "image", source: { type: "base64", media_type: m[1] ?? "image/png", data: m[2] ?? "" } };
  return { type: "image", source: { type: "url", url } };
}

function textOf(content: ChatMessage["content"]): string {
  if (content === null) return "";
  if (typeof content === "string") return content;
  return content.map((p) => (p.type === "text" ? p.text : "")).join("");
}

function partsToBlocks(content: string | ContentPart[] | null): ContentBlockParam[] {
  if (content === null) return [];
  if (typeof content === "string") return content === "" ? [] : [{ type: "text", text: content }];
  const blocks: ContentBlockParam[] = [];
  for (const p of content) {
    if (p.type === "text") {
      // Anthropic rejects empty text blocks.
      if (p.text !== "") blocks.push({ type: "text", text: p.text });
    } else {
      blocks.push(imageUrlToBlock(p.image_url.url));
    }
  }
  return blocks;
}

function parseArguments(args: string, param: string): Record<string, unknown> {
  if (args.trim() === "") return {};
  try {
    const v: unknown = JSON.parse(args);
    if (typeof v === "object" && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // fall through to the error below
  }
  throw invalid(param, "tool call arguments must be a JSON object");
}

/**
 * OpenAI messages -> Anthropic system + turns. Tool results become
 * `tool_result` blocks in a user turn; consecutive user-side messages share one
 * turn with the tool results first, as Anthropic requires.
 */
function toTurns(messages: ChatMessage[]): { system: TextBlockParam[]; turns: MessageParam[] } {
  const system: TextBlockParam[] = [];
  const turns: MessageParam[] = [];
  const asBlocks = (c: string | ContentBlockParam[]): ContentBlockParam[] => (typeof c === "string" ? partsToBlocks(c) : c);
  const push = (role: "user" | "assistant", content: string | ContentBlockParam[], toolResult: boolean) => {
    const prev = turns[turns.length - 1];
    if (prev && prev.role === "user" && role === "user") {
      const merged = asBlocks(prev.content);
      const blocks = asBlocks(content);
      const firstNonResult = merged.findIndex((b) => b.type !== "tool_result");
      if (toolResult && firstNonResult !== -1) merged.splice(firstNonResult, 0, ...blocks);
      else merged.push(...blocks);
      prev.content = merged;
      return;
    }
    turns.push({ role, content });
  };

  messages.forEach((m, i) => {
    switch (m.role) {
      case "system":
      case "developer": {
        const text = textOf(m.content);
        if (text !== "") system.push({ type: "text", text });
        return;
      }
      case "user":
        // A plain string stays a string: the body then reads as a client would write it.
        push("user", typeof m.content === "string" ? m.content : partsToBlocks(m.content), false);
        return;
      case "tool": {
        if (!m.tool_call_id) throw invalid(`messages[${i}].tool_call_id`, "required");
        push("user", [{ type: "tool_result", tool_use_id: m.tool_call_id, content: textOf(m.content) }], true);
        return;
      }
      case "assistant": {
        const calls = m.tool_calls ?? [];
        if (typeof m.content === "string" && m.content !== "" && calls.length === 0) {
          push("assistant", m.content, false);
          return;
        }
        const blocks = partsToBlocks(m.content);
        calls.forEach((tc, j) => {
          blocks.push({ type: "tool_use", id: tc.id, name: tc.function.name, input: parseArguments(tc.function.arguments, `messages[${i}].tool_calls[${j}].function.arguments`) });
        });
        if (blocks.length > 0) push("assistant", blocks, false);
        return;
      }
    }
  });
  return { system, turns };
}

function toolChoiceOf(req: ChatRequest): ToolChoiceParam | undefined {
  const disableParallel = req.parallel_tool_calls === false ? { disable_parallel_tool_use: true } : {};
  const tc = req.tool_choice;
  if (tc === undefined) return req.parallel_tool_calls === false && req.tools?.length ? { type: "auto", ...disableParallel } : undefined;
  if (tc === "none") return { type: "none" };
  if (tc === "auto") return { type: "auto", ...disableParallel };
  if (tc === "required") return { type: "any", ...disableParallel };
  return { type: "tool", name: tc.function.name, ...disableParallel };
}

/** Canonical (OpenAI) request -> Anthropic Messages body for `model`. */
export function canonicalToAnthropicRequest(req: ChatRequest, model: string, opts: ToAnthropicOptions = {}): MessagesRequest {
  if (req.n !== undefined && req.n > 1) throw invalid("n", "Anthropic returns one choice per request");
  const { system, turns } = toTurns(req.messages);
  const asked = req.max_completion_tokens ?? req.max_tokens;
  let maxTokens = asked ?? opts.defaultMaxTokens ?? defaultAnthropicMaxTokens(model);

  const out: MessagesRequest = { model, max_tokens: maxTokens, messages: turns };
  if (system.length === 1 && system[0]) out.system = system[0].text;
  else if (system.length > 1) out.system = system;
  if (req.stop !== undefined) out.stop_sequences = typeof req.stop === "string" ? [req.stop] : req.stop;
  if (req.stream === true) out.stream = true;
  if (req.user !== undefined) out.metadata = { user_id: req.user };
  if (req.tools?.length) {
    out.tools = req.tools.map((t): ToolParam => ({
      name: t.function.name,
      ...(t.function.description !== undefined ? { description: t.function.description } : {}),
      input_schema: t.function.parameters ?? { type: "object", properties: {} },
    }));
  }
  const toolChoice = toolChoiceOf(req);
  if (toolChoice) out.tool_choice = toolChoice;

  let thinking: ThinkingConfigParam | undefined;
  const forcedTool = toolChoice?.type === "any" || toolChoice?.type === "tool";
  // Anthropic refuses thinking together with a forced tool; the tool choice is the functional ask.
  if (req.reasoning_effort && !forcedTool) {
    let budget: number = effortBudget[req.reasoning_effort];
    if (budget >= maxTokens) {
      // Thinking counts toward max_tokens (as reasoning does toward OpenAI's
      // max_completion_tokens): a default limit grows, a client's limit is kept.
      if (asked === undefined) maxTokens = budget + maxTokens;
      else budget = Math.floor(maxTokens / 2);
    }
    if (budget >= MIN_THINKING_BUDGET) {
      thinking = { type: "enabled", budget_tokens: budget };
      out.max_tokens = maxTokens;
    }
  }
  if (thinking) {
    // Thinking is incompatible with sampling changes; the request's intent is reasoning.
    out.thinking = thinking;
  } else {
    if (req.temperature !== undefined) out.temperature = Math.min(req.temperature, 1);
    if (req.top_p !== undefined) out.top_p = req.top_p;
  }
  return out;
}

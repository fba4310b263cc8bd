import { isKnownContentBlock, PortcullisError } from "@portcullis/core";
import type {
  ChatMessage, ChatRequest, ContentBlockParam, ContentPart, FunctionTool, ImageSource, MessageParam, MessagesRequest,
  TextPart, ThinkingConfigParam, ToolCall, ToolChoice, ToolResultBlockParam,
} from "@portcullis/core";

function unsupported(param: string, what: string): PortcullisError {
  return new PortcullisError({ code: "invalid_field", param, message: `${param}: ${what} needs an Anthropic-native target` });
}

export function imageSourceToUrl(source: ImageSource, param: string): string {
  if (source.type === "base64") return `data:${source.media_type};base64,${source.data}`;
  if (source.type === "url") return source.url;
  throw unsupported(param, "a Files API image");
}

function toolResultContent(block: ToolResultBlockParam, param: string, images: ContentPart[]): string | TextPart[] {
  if (block.content === undefined) return "";
  if (typeof block.content === "string") return block.content;
  const parts: TextPart[] = [];
  block.content.forEach((b, k) => {
    if (!isKnownContentBlock(b)) throw unsupported(`${param}.content[${k}]`, `a ${b.type} block in a tool result`);
    if (b.type === "text") parts.push({ type: "text", text: b.text });
    else if (b.type === "image") {
      // OpenAI tool messages are text-only: images travel in the user turn that follows.
      images.push({ type: "image_url", image_url: { url: imageSourceToUrl(b.source, `${param}.content[${k}].source`) } });
    } else throw unsupported(`${param}.content[${k}]`, `a ${b.type} block in a tool result`);
  });
  return parts.length === 1 && parts[0] ? parts[0].text : parts;
}

function userTurn(blocks: ContentBlockParam[], i: number, out: ChatMessage[]): void {
  const parts: ContentPart[] = [];
  const images: ContentPart[] = [];
  blocks.forEach((b, j) => {
    const param = `messages[${i}].content[${j}]`;
    if (!isKnownContentBlock(b)) throw unsupported(param, `a ${b.type} block`);
    switch (b.type) {
      case "text":
        parts.push({ type: "text", text: b.text });
        return;
      case "image":
        parts.push({ type: "image_url", image_url: { url: imageSourceToUrl(b.source, `${param}.source`) } });
        return;
      case "tool_result":
        out.push({ role: "tool", tool_call_id: b.tool_use_id, content: toolResultContent(b, param, images) });
        return;
      default:
        throw unsupported(param, `a ${b.type} block in a user turn`);
    }
  });
  const all = [...images, ...parts];
  if (all.length > 0) out.push({ role: "user", content: all });
}

function assistantTurn(blocks: ContentBlockParam[], i: number, out: ChatMessage[]): void {
  let text = "";
  let reasoning = "";
  const toolCalls: ToolCall[] = [];
  blocks.forEach((b, j) => {
    const param = `messages[${i}].content[${j}]`;
    if (!isKnownContentBlock(b)) throw unsupported(param, `a ${b.type} block`);
    switch (b.type) {
      case "text":
        text += b.text;
        return;
      case "thinking":
        reasoning += b.thinking;
        return;
      case "redacted_thinking":
        return; // encrypted for Anthropic only; meaningless elsewhere
      case "tool_use":
        toolCalls.push({ id: b.id, type: "function", function: { name: b.name, arguments: JSON.stringify(b.input) } });
        return;
      default:
        throw unsupported(param, `a ${b.type} block in an assistant turn`);
    }
  });
  const msg: ChatMessage = { role: "assistant", content: text === "" && toolCalls.length > 0 ? null : text };
  if (toolCalls.length > 0) msg.tool_calls = toolCalls;
  if (reasoning !== "") msg.reasoning_content = reasoning;
  out.push(msg);
}

function turn(m: MessageParam, i: number, out: ChatMessage[]): void {
  if (typeof m.content === "string") {
    out.push({ role: m.role, content: m.content });
    return;
  }
  if (m.role === "assistant") assistantTurn(m.content, i, out);
  else if (m.role === "user") userTurn(m.content, i, out);
  else out.push({ role: "system", content: m.content.map((b) => (b.type === "text" && typeof b["text"] === "string" ? b["text"] : "")).join("") });
}

function toolsOf(req: MessagesRequest): FunctionTool[] | undefined {
  return req.tools?.map((t, i): FunctionTool => {
    if (t.type !== undefined && t.type !== "custom") throw unsupported(`tools[${i}].type`, `the server tool ${t.type}`);
    const fn: FunctionTool["function"] = { name: t.name, parameters: t.input_schema ?? { type: "object", properties: {} } };
    if (t.description !== undefined) fn.description = t.description;
    return { type: "function", function: fn };
  });
}

function toolChoiceOf(req: MessagesRequest): { tool_choice?: ToolChoice; parallel_tool_calls?: boolean } {
  const tc = req.tool_choice;
  if (!tc) return {};
  const parallel = "disable_parallel_tool_use" in tc && tc.disable_parallel_tool_use === true ? { parallel_tool_calls: false } : {};
  switch (tc.type) {
    case "auto":
      return { tool_choice: "auto", ...parallel };
    case "any":
      return { tool_choice: "required", ...parallel };
    case "none":
      return { tool_choice: "none" };
    case "tool":
      return { tool_choice: { type: "function", function: { name: tc.name } }, ...parallel };
  }
}

/** A thinking budget expressed as OpenAI's coarser reasoning effort. */
export function thinkingToReasoningEffort(thinking: ThinkingConfigParam | undefined): ChatRequest["reasoning_effort"] {
  if (!thinking || thinking.type === "disabled") return undefined;
  if (thinking.type === "adaptive") return "medium";
  if (thinking.budget_tokens <= 2048) return "low";
  if (thinking.budget_tokens <= 8192) return "medium";
  return "high";
}

/**
 * Inbound Anthropic request -> canonical, for a non-Anthropic target. Content
 * that only Anthropic understands (documents, server tools, Files API
 * references) is refused with the field that carries it rather than dropped.
 */
export function anthropicRequestToCanonical(req: MessagesRequest): ChatRequest {
  const messages: ChatMessage[] = [];
  if (typeof req.system === "string") {
    if (req.system !== "") messages.push({ role: "system", content: req.system });
  } else if (req.system?.length) {
    messages.push({ role: "system", content: req.system.map((b): TextPart => ({ type: "text", text: b.text })) });
  }
  req.messages.forEach((m, i) => turn(m, i, messages));

  const out: ChatRequest = { model: req.model, messages, max_tokens: req.max_tokens };
  if (req.stream === true) {
    out.stream = true;
    // The Anthropic re-encoder reports usage in message_delta, so always ask for it.
    out.stream_options = { include_usage: true };
  }
  if (req.temperature !== undefined) out.temperature = req.temperature;
  if (req.top_p !== undefined) out.top_p = req.top_p;
  if (req.stop_sequences?.length) out.stop = req.stop_sequences;
  if (typeof req.metadata?.user_id === "string") out.user = req.metadata.user_id;
  const tools = toolsOf(req);
  if (tools?.length) out.tools = tools;
  Object.assign(out, toolChoiceOf(req));
  const effort = thinkingToReasoningEffort(req.thinking);
  if (effort) out.reasoning_effort = effort;
  return out;
}

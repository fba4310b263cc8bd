/** Canonical (OpenAI Chat Completions) request -> Bedrock Converse request body. */
import { PortcullisError, type ChatMessage, type ChatRequest, type ContentPart } from "@portcullis/core";
import type {
  ConverseContentBlock, ConverseMessage, ConverseRequest, ConverseToolChoice, ConverseImageFormat,
} from "./converse-types";

const imageFormats: Record<string, ConverseImageFormat> = {
  "image/png": "png", "image/jpeg": "jpeg", "image/jpg": "jpeg", "image/gif": "gif", "image/webp": "webp",
};

export function toConverseRequest(req: ChatRequest): ConverseRequest {
  if (req.n !== undefined && req.n > 1) {
    throw new PortcullisError({ code: "invalid_field", param: "n", message: "bedrock returns one choice; n must be 1" });
  }
  const system: Array<{ text: string }> = [];
  const messages: ConverseMessage[] = [];
  const push = (role: ConverseMessage["role"], blocks: ConverseContentBlock[]) => {
    if (blocks.length === 0) return;
    const last = messages[messages.length - 1];
    // Converse wants strictly alternating roles: tool results and the user turn after them share one message.
    if (last?.role === role) last.content.push(...blocks);
    else messages.push({ role, content: blocks });
  };

  req.messages.forEach((m, i) => {
    switch (m.role) {
      case "system":
      case "developer": {
        const text = textOf(m.content);
        if (text) system.push({ text });
        break;
      }
      case "user":
        push("user", userBlocks(m, i));
        break;
      case "assistant":
        push("assistant", assistantBlocks(m, i));
        break;
      case "tool":
        push("user", [{
          toolResult: { toolUseId: m.tool_call_id ?? "", content: [{ text: textOf(m.content) }] },
        }]);
        break;
    }
  });

  const body: ConverseRequest = { messages };
  if (system.length > 0) body.system = system;

  const inference: NonNullable<ConverseRequest["inferenceConfig"]> = {};
  const maxTokens = req.max_completion_tokens ?? req.max_tokens;
  if (maxTokens !== undefined) inference.maxTokens = maxTokens;
  if (req.temperature !== undefined) inference.temperature = req.temperature;
  if (req.top_p !== undefined) inference.topP = req.top_p;
  if (req.stop !== undefined) inference.stopSequences = typeof req.stop === "string" ? [req.stop] : req.stop;
  if (Object.keys(inference).length > 0) body.inferenceConfig = inference;

  const toolConfig = buildToolConfig(req, messages);
  if (toolConfig) body.toolConfig = toolConfig;
  return body;
}

function buildToolConfig(req: ChatRequest, messages: ConverseMessage[]): ConverseRequest["toolConfig"] {
  if (!req.tools || req.tools.length === 0) return undefined;
  const tools = req.tools.map((t) => ({
    toolSpec: {
      name: t.function.name,
      ...(t.function.description !== undefined ? { description: t.function.description } : {}),
      inputSchema: { json: t.function.parameters ?? { type: "object", properties: {} } },
    },
  }));
  const choice = req.tool_choice;
  if (choice === "none") {
    // Converse has no "none": drop the tools unless the history holds tool blocks, which require a toolConfig.
    const historyUsesTools = messages.some((m) => m.content.some((b) => "toolUse" in b || "toolResult" in b));
    return historyUsesTools ? { tools } : undefined;
  }
  let toolChoice: ConverseToolChoice | undefined;
  if (choice === "auto") toolChoice = { auto: {} };
  else if (choice === "required") toolChoice = { any: {} };
  else if (typeof choice === "object") toolChoice = { tool: { name: choice.function.name } };
  return toolChoice ? { tools, toolChoice } : { tools };
}

function userBlocks(m: ChatMessage, i: number): ConverseContentBlock[] {
  if (typeof m.content === "string") return m.content === "" ? [] : [{ text: m.content }];
  if (!m.content) return [];
  return m.content.map((part, j) => partBlock(part, `messages[${i}].content[${j}]`));
}

function partBlock(part: ContentPart, param: string): ConverseContentBlock {
  if (part.type === "text") return { text: part.text };
  const m = /^data:([^;,]+);base64,(.*)$/s.exec(part.image_url.url);
  const format = m ? imageFormats[m[1]!.toLowerCase()] : undefined;
  if (!m || !format) {
    throw new PortcullisError({
      code: "invalid_field",
      param: `${param}.image_url`,
      message: "bedrock accepts images only as base64 data URLs of png, jpeg, gif or webp",
    });
  }
  return { image: { format, source: { bytes: m[2]! } } };
}

function assistantBlocks(m: ChatMessage, i: number): ConverseContentBlock[] {
  const blocks: ConverseContentBlock[] = [];
  const text = textOf(m.content);
  if (text) blocks.push({ text });
  m.tool_calls?.forEach((call, j) => {
    blocks.push({ toolUse: { toolUseId: call.id, name: call.function.name, input: parseArguments(call.function.arguments, `messages[${i}].tool_calls[${j}].function.arguments`) } });
  });
  return blocks;
}

function parseArguments(args: string, param: string): unknown {
  if (args.trim() === "") return {};
  try {
    return JSON.parse(args);
  } catch {
    throw new PortcullisError({ code: "invalid_field", param, message: "tool call arguments must be JSON" });
  }
}

/** The text of a message's content; image parts have no text form. */
export function textOf(content: ChatMessage["content"]): string {
  if (typeof content === "string") return content;
  if (!content) return "";
  return content.filter((p) => p.type === "text").map((p) => p.text).join("");
}

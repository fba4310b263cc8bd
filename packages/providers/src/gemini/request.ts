/** Canonical (OpenAI Chat Completions) request -> Gemini/Vertex `generateContent` body. */
import { PortcullisError, type ChatMessage, type ChatRequest, type ContentPart } from "@portcullis/core";
import type { GeminiContent, GeminiGenerationConfig, GeminiPart, GenerateContentRequest } from "./gemini-types";
import { toGeminiSchema } from "./schema";
import { requiresThoughtSignatures, skipSignatureValidator, splitToolCallId } from "./tool-ids";

/** Google's published mapping of OpenAI reasoning effort to a thinking budget. */
const thinkingBudgets = { low: 1024, medium: 8192, high: 24576 } as const;

export function toGenerateContentRequest(req: ChatRequest, model: string): GenerateContentRequest {
  const system: Array<{ text: string }> = [];
  const contents: GeminiContent[] = [];
  const toolNames = new Map<string, string>();
  const push = (role: GeminiContent["role"], parts: GeminiPart[]) => {
    if (parts.length === 0) return;
    const last = contents[contents.length - 1];
    if (last?.role === role) last.parts.push(...parts);
    else contents.push({ role, parts });
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
        push("user", userParts(m, i));
        break;
      case "assistant":
        push("model", modelParts(m, i, model, toolNames));
        break;
      case "tool": {
        const id = m.tool_call_id ?? "";
        const name = toolNames.get(id);
        if (!name) {
          throw new PortcullisError({ code: "invalid_field", param: `messages[${i}].tool_call_id`, message: "tool message answers no earlier tool call" });
        }
        push("user", [{ functionResponse: { name, response: toolResponse(textOf(m.content)) } }]);
        break;
      }
    }
  });

  const body: GenerateContentRequest = { contents };
  if (system.length > 0) body.systemInstruction = { parts: system };
  if (req.tools && req.tools.length > 0) {
    body.tools = [{
      functionDeclarations: req.tools.map((t) => ({
        name: t.function.name,
        ...(t.function.description !== undefined ? { description: t.function.description } : {}),
        ...(t.function.parameters !== undefined ? { parameters: toGeminiSchema(t.function.parameters) } : {}),
      })),
    }];
    const choice = req.tool_choice;
    if (choice === "none") body.toolConfig = { functionCallingConfig: { mode: "NONE" } };
    else if (choice === "auto") body.toolConfig = { functionCallingConfig: { mode: "AUTO" } };
    else if (choice === "required") body.toolConfig = { functionCallingConfig: { mode: "ANY" } };
    else if (typeof choice === "object") {
      body.toolConfig = { functionCallingConfig: { mode: "ANY", allowedFunctionNames: [choice.function.name] } };
    }
  }
  const generationConfig = buildGenerationConfig(req);
  if (Object.keys(generationConfig).length > 0) body.generationConfig = generationConfig;
  return body;
}

function buildGenerationConfig(req: ChatRequest): GeminiGenerationConfig {
  const g: GeminiGenerationConfig = {};
  const maxTokens = req.max_completion_tokens ?? req.max_tokens;
  if (maxTokens !== undefined) g.maxOutputTokens = maxTokens;
  if (req.temperature !== undefined) g.temperature = req.temperature;
  if (req.top_p !== undefined) g.topP = req.top_p;
  if (req.stop !== undefined) g.stopSequences = typeof req.stop === "string" ? [req.stop] : req.stop;
  if (req.seed !== undefined) g.seed = req.seed;
  if (req.n !== undefined && req.n !== 1) g.candidateCount = req.n;
  if (req.presence_penalty !== undefined) g.presencePenalty = req.presence_penalty;
  if (req.frequency_penalty !== undefined) g.frequencyPenalty = req.frequency_penalty;
  if (req.logprobs) {
    g.responseLogprobs = true;
    if (req.top_logprobs !== undefined) g.logprobs = req.top_logprobs;
  }
  const format = req.response_format;
  if (format?.type === "json_object") g.responseMimeType = "application/json";
  else if (format?.type === "json_schema") {
    g.responseMimeType = "application/json";
    if (format.json_schema.schema) g.responseSchema = toGeminiSchema(format.json_schema.schema);
  }
  if (req.reasoning_effort && req.reasoning_effort !== "minimal") {
    g.thinkingConfig = { thinkingBudget: thinkingBudgets[req.reasoning_effort] };
  }
  return g;
}

function userParts(m: ChatMessage, i: number): GeminiPart[] {
  if (typeof m.content === "string") return m.content === "" ? [] : [{ text: m.content }];
  if (!m.content) return [];
  return m.content.map((part, j) => contentPart(part, `messages[${i}].content[${j}].image_url`));
}

function contentPart(part: ContentPart, param: string): GeminiPart {
  if (part.type === "text") return { text: part.text };
  const url = part.image_url.url;
  const data = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  if (data) return { inlineData: { mimeType: data[1]!, data: data[2]! } };
  if (/^(https?|gs):\/\//.test(url)) return { fileData: { mimeType: mimeFromUrl(url), fileUri: url } };
  throw new PortcullisError({ code: "invalid_field", param, message: "image_url must be a base64 data URL or an http(s)/gs URL" });
}

function modelParts(m: ChatMessage, i: number, model: string, toolNames: Map<string, string>): GeminiPart[] {
  const parts: GeminiPart[] = [];
  const text = textOf(m.content);
  if (text) parts.push({ text });
  m.tool_calls?.forEach((call, j) => {
    toolNames.set(call.id, call.function.name);
    const { signature } = splitToolCallId(call.id);
    const part: GeminiPart = { functionCall: { name: call.function.name, args: parseArgs(call.function.arguments, `messages[${i}].tool_calls[${j}].function.arguments`) } };
    // Only the first call of a step carries the signature (parallel calls share it).
    if (signature) part.thoughtSignature = signature;
    else if (j === 0 && requiresThoughtSignatures(model)) part.thoughtSignature = skipSignatureValidator;
    parts.push(part);
  });
  return parts;
}

function parseArgs(args: string, param: string): Record<string, unknown> {
  if (args.trim() === "") return {};
  let v: unknown;
  try {
    v = JSON.parse(args);
  } catch {
    throw new PortcullisError({ code: "invalid_field", param, message: "tool call arguments must be JSON" });
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) {
    throw new PortcullisError({ code: "invalid_field", param, message: "tool call arguments must be a JSON object" });
  }
  return v as Record<string, unknown>;
}

/** functionResponse.response must be an object: a JSON object result is used as is, anything else is wrapped. */
function toolResponse(content: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(content);
    if (typeof v === "object" && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
    return { result: v };
  } catch {
    return { result: content };
  }
}

function mimeFromUrl(url: string): string {
  const ext = /\.([a-z0-9]+)(?:[?#]|$)/i.exec(url)?.[1]?.toLowerCase();
  switch (ext) {
    case "png": return "image/png";
    case "gif": return "image/gif";
    case "webp": return "image/webp";
    case "heic": return "image/heic";
    default: return "image/jpeg";
  }
}

export function textOf(content: ChatMessage["content"]): string {
  if (typeof content === "string") return content;
  if (!content) return "";
  return content.filter((p) => p.type === "text").map((p) => p.text).join("");
}

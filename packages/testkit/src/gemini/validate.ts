/**
 * What the Gemini/Vertex front end rejects before the model runs: unknown
 * JSON fields (Google's proto JSON parser is strict), JSON-Schema keywords the
 * OpenAPI `Schema` lacks, bad roles, empty parts, function-response turns that
 * do not answer the previous call turn, and (Gemini 3) unsigned function calls.
 */
const requestFields = new Set([
  "contents", "systemInstruction", "system_instruction", "tools", "toolConfig", "tool_config", "generationConfig",
  "generation_config", "safetySettings", "safety_settings", "cachedContent", "cached_content", "labels", "model",
]);
const schemaFields = new Set([
  "type", "format", "title", "description", "nullable", "enum", "maxItems", "minItems", "properties", "required",
  "minProperties", "maxProperties", "minLength", "maxLength", "pattern", "example", "anyOf", "propertyOrdering",
  "default", "items", "minimum", "maximum",
]);
const partFields = new Set(["text", "thought", "thoughtSignature", "inlineData", "fileData", "functionCall", "functionResponse", "executableCode", "codeExecutionResult"]);

export interface Part {
  text?: string;
  thought?: boolean;
  thoughtSignature?: string;
  inlineData?: { mimeType?: string; data?: string };
  fileData?: { fileUri?: string };
  functionCall?: { name: string; args?: Record<string, unknown> };
  functionResponse?: { name: string; response?: Record<string, unknown> };
}
export interface Content { role?: string; parts?: Part[] }
export interface GenerateBody {
  contents?: Content[];
  systemInstruction?: { parts?: Part[] };
  tools?: Array<{ functionDeclarations?: Array<{ name: string; parameters?: Record<string, unknown> }> }>;
  toolConfig?: { functionCallingConfig?: { mode?: string; allowedFunctionNames?: string[] } };
  generationConfig?: { maxOutputTokens?: number; stopSequences?: string[]; candidateCount?: number; responseSchema?: Record<string, unknown>; responseMimeType?: string };
}

const unknownName = (name: string, at?: string) =>
  `Invalid JSON payload received. Unknown name "${name}"${at ? ` at '${at}'` : ""}: Cannot find field.`;

function checkSchema(schema: Record<string, unknown>, at: string): string | undefined {
  for (const [k, v] of Object.entries(schema)) {
    if (!schemaFields.has(k)) return unknownName(k, at);
    if (k === "properties" && v && typeof v === "object") {
      for (const [name, sub] of Object.entries(v)) {
        const e = checkSchema(sub as Record<string, unknown>, `${at}.properties[${name}].value`);
        if (e) return e;
      }
    }
    if (k === "items" && v && typeof v === "object") {
      const e = checkSchema(v as Record<string, unknown>, `${at}.items`);
      if (e) return e;
    }
    if (k === "type" && typeof v !== "string") return `Invalid value at '${at}.type' (type.googleapis.com/google.ai.generativelanguage.v1beta.Type), ${JSON.stringify(v)}`;
  }
  return undefined;
}

/** Returns the 400 INVALID_ARGUMENT message, or undefined when the body is acceptable. */
export function validateGenerate(body: GenerateBody, model: string): string | undefined {
  for (const k of Object.keys(body)) if (!requestFields.has(k)) return unknownName(k);
  const contents = body.contents;
  if (!Array.isArray(contents) || contents.length === 0) return "* GenerateContentRequest.contents: contents is not specified\n";
  for (let i = 0; i < contents.length; i++) {
    const c = contents[i]!;
    if (c.role !== undefined && c.role !== "user" && c.role !== "model") return "Please use a valid role: user, model.";
    if (!Array.isArray(c.parts) || c.parts.length === 0) return `* GenerateContentRequest.contents[${i}].parts: contents.parts must not be empty.\n`;
    for (let j = 0; j < c.parts.length; j++) {
      const p = c.parts[j]!;
      for (const k of Object.keys(p)) if (!partFields.has(k)) return unknownName(k, `contents[${i}].parts[${j}]`);
      if (p.text === undefined && !p.inlineData && !p.fileData && !p.functionCall && !p.functionResponse) {
        return `* GenerateContentRequest.contents[${i}].parts[${j}].data: required oneof field 'data' must have one initialized field\n`;
      }
    }
    const responses = c.parts.filter((p) => p.functionResponse).length;
    if (responses > 0) {
      const calls = (contents[i - 1]?.role === "model" ? contents[i - 1]!.parts ?? [] : []).filter((p) => p.functionCall).length;
      if (calls === 0) return "Please ensure that function response turn comes immediately after a function call turn.";
      if (calls !== responses) return "Please ensure that the number of function response parts is equal to the number of function call parts of the function call turn.";
    }
    if (/(^|\/)gemini-3/.test(model) && c.role === "model") {
      const first = c.parts.findIndex((p) => p.functionCall);
      if (first !== -1 && !c.parts[first]!.thoughtSignature) {
        return `Function call is missing a thought_signature in functionCall parts. This is required for tools to work correctly, and missing thought_signature may lead to degraded model performance. Additional data, function call \`default_api:${c.parts[first]!.functionCall!.name}\` , position ${first + 1}. Please refer to https://ai.google.dev/gemini-api/docs/thought-signatures for more details.`;
      }
    }
  }
  for (const [t, tool] of (body.tools ?? []).entries()) {
    for (const [d, decl] of (tool.functionDeclarations ?? []).entries()) {
      const e = decl.parameters && checkSchema(decl.parameters, `tools[${t}].function_declarations[${d}].parameters`);
      if (e) return e;
    }
  }
  const rs = body.generationConfig?.responseSchema;
  return rs ? checkSchema(rs, "generation_config.response_schema") : undefined;
}

import { z } from "zod";
import type { ChatRequest, EmbeddingRequest } from "./types";

/**
 * Inbound OpenAI request bodies. Unknown fields pass through (new upstream
 * parameters must not need a gateway release); known fields are type-checked
 * so a bad body fails here with a named field instead of upstream.
 */

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** OpenAI treats an explicit `null` on an optional parameter as "unset"; so do we. */
function dropNulls(keep: ReadonlySet<string> = new Set()) {
  return (v: unknown): unknown => {
    if (!isRecord(v)) return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== null || keep.has(k)) out[k] = x;
    return out;
  };
}

const textPartSchema = z.looseObject({ type: z.literal("text"), text: z.string() });
const imagePartSchema = z.looseObject({
  type: z.literal("image_url"),
  image_url: z.looseObject({ url: z.string(), detail: z.enum(["auto", "low", "high"]).optional() }),
});
const userPartSchema = z.discriminatedUnion("type", [textPartSchema, imagePartSchema]);

const textContent = z.union([z.string(), z.array(textPartSchema)], { error: "expected string or array of text parts" });
const userContent = z.union([z.string(), z.array(userPartSchema)], { error: "expected string or array" });

const toolCallSchema = z.looseObject({
  id: z.string(),
  type: z.literal("function"),
  function: z.looseObject({ name: z.string(), arguments: z.string() }),
});

const keepContent = new Set(["content"]);
const systemMessageSchema = z.looseObject({
  role: z.enum(["system", "developer"]),
  content: textContent,
  name: z.string().optional(),
});
const userMessageSchema = z.looseObject({ role: z.literal("user"), content: userContent, name: z.string().optional() });
const assistantMessageSchema = z.looseObject({
  role: z.literal("assistant"),
  content: z.union([z.string(), z.array(textPartSchema)], { error: "expected string, array of text parts or null" }).nullable().default(null),
  name: z.string().optional(),
  tool_calls: z.array(toolCallSchema).optional(),
  reasoning_content: z.string().optional(),
});
const toolMessageSchema = z.looseObject({ role: z.literal("tool"), content: textContent, tool_call_id: z.string() });

export const chatMessageSchema = z.preprocess(
  dropNulls(keepContent),
  z.discriminatedUnion("role", [systemMessageSchema, userMessageSchema, assistantMessageSchema, toolMessageSchema]),
);

export const functionToolSchema = z.looseObject({
  type: z.literal("function"),
  function: z.looseObject({
    name: z.string().min(1),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    strict: z.boolean().nullable().optional().transform((v) => v ?? undefined),
  }),
});

const toolChoiceSchema = z.union(
  [
    z.enum(["none", "auto", "required"]),
    z.looseObject({ type: z.literal("function"), function: z.looseObject({ name: z.string() }) }),
  ],
  { error: "expected \"none\", \"auto\", \"required\" or {type:\"function\",function:{name}}" },
);

const responseFormatSchema = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("text") }),
  z.looseObject({ type: z.literal("json_object") }),
  z.looseObject({
    type: z.literal("json_schema"),
    json_schema: z.looseObject({
      name: z.string(),
      description: z.string().optional(),
      schema: z.record(z.string(), z.unknown()).optional(),
      strict: z.boolean().nullable().optional().transform((v) => v ?? undefined),
    }),
  }),
]);

const positiveInt = z.number().int().min(1);

export const chatCompletionRequestSchema = z.preprocess(
  dropNulls(),
  z.looseObject({
    model: z.string().min(1),
    messages: z.array(chatMessageSchema).min(1),
    stream: z.boolean().optional(),
    stream_options: z.looseObject({ include_usage: z.boolean().optional() }).optional(),
    max_tokens: positiveInt.optional(),
    max_completion_tokens: positiveInt.optional(),
    temperature: z.number().min(0).max(2).optional(),
    top_p: z.number().min(0).max(1).optional(),
    n: z.number().int().min(1).max(128).optional(),
    stop: z.union([z.string(), z.array(z.string()).max(4)], { error: "expected string or array of up to 4 strings" }).optional(),
    seed: z.number().int().optional(),
    presence_penalty: z.number().min(-2).max(2).optional(),
    frequency_penalty: z.number().min(-2).max(2).optional(),
    logit_bias: z.record(z.string(), z.number()).optional(),
    logprobs: z.boolean().optional(),
    top_logprobs: z.number().int().min(0).max(20).optional(),
    user: z.string().optional(),
    tools: z.array(functionToolSchema).optional(),
    tool_choice: toolChoiceSchema.optional(),
    parallel_tool_calls: z.boolean().optional(),
    response_format: responseFormatSchema.optional(),
    reasoning_effort: z.enum(["minimal", "low", "medium", "high"]).optional(),
    metadata: z.record(z.string(), z.string()).optional(),
  }),
);
export type ChatCompletionRequestInput = z.infer<typeof chatCompletionRequestSchema>;

const tokenArray = z.array(z.number().int().min(0)).min(1);
export const embeddingRequestSchema = z.preprocess(
  dropNulls(),
  z.looseObject({
    model: z.string().min(1),
    input: z.union(
      [z.string(), z.array(z.string()).min(1), tokenArray, z.array(tokenArray).min(1)],
      { error: "expected string, array of strings, array of token ids or array of token arrays" },
    ),
    encoding_format: z.enum(["float", "base64"]).optional(),
    dimensions: positiveInt.optional(),
    user: z.string().optional(),
  }),
);
export type EmbeddingRequestInput = z.infer<typeof embeddingRequestSchema>;

const responsesInputItemSchema = z.looseObject({
  type: z.string().optional(),
  role: z.enum(["user", "assistant", "system", "developer"]).optional(),
  content: z.union([z.string(), z.array(z.looseObject({ type: z.string() }))], { error: "expected string or array of typed parts" }).optional(),
});

/** `/v1/responses`: forwarded natively to OpenAI-family upstreams, so only the fields Portcullis reads are checked. */
export const responsesRequestSchema = z.preprocess(
  dropNulls(),
  z.looseObject({
    model: z.string().min(1),
    input: z.union([z.string(), z.array(responsesInputItemSchema)], { error: "expected string or array of input items" }).optional(),
    instructions: z.string().optional(),
    stream: z.boolean().optional(),
    max_output_tokens: positiveInt.optional(),
    temperature: z.number().min(0).max(2).optional(),
    top_p: z.number().min(0).max(1).optional(),
    tools: z.array(z.looseObject({ type: z.string() })).optional(),
    tool_choice: z.union([z.string(), z.looseObject({ type: z.string() })], { error: "expected string or object" }).optional(),
    parallel_tool_calls: z.boolean().optional(),
    previous_response_id: z.string().optional(),
    store: z.boolean().optional(),
    background: z.boolean().optional(),
    metadata: z.record(z.string(), z.string()).optional(),
    reasoning: z.looseObject({ effort: z.string().optional(), summary: z.string().optional() }).optional(),
    text: z.looseObject({ format: z.looseObject({ type: z.string() }).optional() }).optional(),
    truncation: z.enum(["auto", "disabled"]).optional(),
    user: z.string().optional(),
  }),
);
export type ResponsesRequest = z.infer<typeof responsesRequestSchema>;

/** Validates and returns the body typed as the canonical request. */
export function toChatRequest(input: ChatCompletionRequestInput): ChatRequest {
  return input;
}

export function toEmbeddingRequest(input: EmbeddingRequestInput): EmbeddingRequest {
  return input;
}

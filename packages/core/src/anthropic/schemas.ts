import { z } from "zod";
import type { ContentBlockParam, CountTokensRequest, KnownContentBlockParam, MessagesRequest } from "./types";

/**
 * Inbound Anthropic `/v1/messages` and `/v1/messages/count_tokens` bodies.
 * Known block types are checked field by field; block types Portcullis does not
 * model (server tools, search results, containers...) are accepted as long as
 * they carry a string `type`, so native passthrough keeps working as the API grows.
 */

const cacheControlSchema = z.looseObject({ type: z.literal("ephemeral"), ttl: z.enum(["5m", "1h"]).optional() }).nullable().optional();

export const textBlockParamSchema = z.looseObject({
  type: z.literal("text"),
  text: z.string(),
  cache_control: cacheControlSchema,
  citations: z.array(z.unknown()).nullable().optional(),
});

const imageSourceSchema = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("base64"), media_type: z.string(), data: z.string() }),
  z.looseObject({ type: z.literal("url"), url: z.string() }),
  z.looseObject({ type: z.literal("file"), file_id: z.string() }),
]);

const imageBlockParamSchema = z.looseObject({ type: z.literal("image"), source: imageSourceSchema, cache_control: cacheControlSchema });
const documentBlockParamSchema = z.looseObject({
  type: z.literal("document"),
  source: z.looseObject({ type: z.string() }),
  title: z.string().nullable().optional(),
  context: z.string().nullable().optional(),
  cache_control: cacheControlSchema,
});
const toolUseBlockParamSchema = z.looseObject({
  type: z.literal("tool_use"),
  id: z.string(),
  name: z.string(),
  input: z.record(z.string(), z.unknown()),
  cache_control: cacheControlSchema,
});
const thinkingBlockParamSchema = z.looseObject({ type: z.literal("thinking"), thinking: z.string(), signature: z.string() });
const redactedThinkingBlockParamSchema = z.looseObject({ type: z.literal("redacted_thinking"), data: z.string() });

const knownBlockTypes = new Set(["text", "image", "document", "tool_use", "tool_result", "thinking", "redacted_thinking"]);
// `abort` makes this branch fail hard for known types, so a union reports the
// known schema's precise issue instead of silently preferring this branch.
const otherBlockSchema = z.looseObject({
  type: z.string().refine((t) => !knownBlockTypes.has(t), { error: "known block type with invalid fields", abort: true }),
});

const toolResultContentSchema = z.union(
  [
    z.string(),
    z.array(z.union([z.discriminatedUnion("type", [textBlockParamSchema, imageBlockParamSchema, documentBlockParamSchema]), otherBlockSchema], {
      error: "expected a content block object with a string type",
    })),
  ],
  { error: "expected string or array of content blocks" },
);
const toolResultBlockParamSchema = z.looseObject({
  type: z.literal("tool_result"),
  tool_use_id: z.string(),
  content: toolResultContentSchema.optional(),
  is_error: z.boolean().optional(),
  cache_control: cacheControlSchema,
});

export const contentBlockParamSchema = z.union(
  [
    z.discriminatedUnion("type", [
      textBlockParamSchema,
      imageBlockParamSchema,
      documentBlockParamSchema,
      toolUseBlockParamSchema,
      toolResultBlockParamSchema,
      thinkingBlockParamSchema,
      redactedThinkingBlockParamSchema,
    ]),
    otherBlockSchema,
  ],
  { error: "expected a content block object with a string type" },
);

export const messageParamSchema = z.looseObject({
  role: z.enum(["user", "assistant", "system"]),
  content: z.union([z.string(), z.array(contentBlockParamSchema)], { error: "expected string or array of content blocks" }),
});

const toolParamSchema = z.looseObject({
  type: z.string().optional(),
  name: z.string().min(1),
  description: z.string().optional(),
  input_schema: z.record(z.string(), z.unknown()).optional(),
  cache_control: cacheControlSchema,
});

const toolChoiceParamSchema = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("auto"), disable_parallel_tool_use: z.boolean().optional() }),
  z.looseObject({ type: z.literal("any"), disable_parallel_tool_use: z.boolean().optional() }),
  z.looseObject({ type: z.literal("tool"), name: z.string(), disable_parallel_tool_use: z.boolean().optional() }),
  z.looseObject({ type: z.literal("none") }),
]);

const thinkingConfigSchema = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("enabled"), budget_tokens: z.number().int().min(1), display: z.string().optional() }),
  z.looseObject({ type: z.literal("disabled") }),
  z.looseObject({ type: z.literal("adaptive") }),
]);

const systemSchema = z.union([z.string(), z.array(textBlockParamSchema)], { error: "expected string or array of text blocks" });

const commonFields = {
  model: z.string().min(1),
  messages: z.array(messageParamSchema),
  system: systemSchema.optional(),
  tools: z.array(toolParamSchema).optional(),
  tool_choice: toolChoiceParamSchema.optional(),
  thinking: thinkingConfigSchema.optional(),
};

export const messagesRequestSchema = z.looseObject({
  ...commonFields,
  max_tokens: z.number().int().min(1),
  stop_sequences: z.array(z.string()).optional(),
  stream: z.boolean().optional(),
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().min(0).max(1).optional(),
  top_k: z.number().int().min(0).optional(),
  metadata: z.looseObject({ user_id: z.string().nullable().optional() }).optional(),
  service_tier: z.string().optional(),
});
export type MessagesRequestInput = z.infer<typeof messagesRequestSchema>;

export const countTokensRequestSchema = z.looseObject({ ...commonFields, max_tokens: z.number().int().min(1).optional() });
export type CountTokensRequestInput = z.infer<typeof countTokensRequestSchema>;

/** Compile-time proof that a validated body is the hand-written wire type. */
export function toMessagesRequest(input: MessagesRequestInput): MessagesRequest {
  return input;
}

export function toCountTokensRequest(input: CountTokensRequestInput): CountTokensRequest {
  return input;
}

export function isKnownContentBlock(block: ContentBlockParam): block is KnownContentBlockParam {
  return knownBlockTypes.has(block.type);
}

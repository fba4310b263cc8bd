/** Converse request validation and deterministic answers for the Bedrock simulator. */
import { createHash } from "node:crypto";
import type { BrainInput, BrainOutput, BrainTurn } from "../gemini/brain";

interface Block {
  text?: string;
  image?: { format?: string; source?: { bytes?: string } };
  toolUse?: { toolUseId: string; name: string; input: unknown };
  toolResult?: { toolUseId: string; content?: Array<{ text?: string; json?: unknown }> };
}
interface Message { role: string; content: Block[] }
export interface ConverseBody {
  messages?: Message[];
  system?: Array<{ text?: string }>;
  inferenceConfig?: { maxTokens?: number; stopSequences?: string[]; temperature?: number; topP?: number };
  toolConfig?: { tools?: Array<{ toolSpec?: { name: string } }>; toolChoice?: { auto?: object; any?: object; tool?: { name: string } } };
}

/** The ValidationException message Bedrock would give, or undefined when the body is acceptable. */
export function validateConverse(body: ConverseBody): string | undefined {
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0) return "A conversation must start with a user message. Try again with a conversation that starts with a user message.";
  if (messages[0]!.role !== "user") return "A conversation must start with a user message. Try again with a conversation that starts with a user message.";
  let usesTools = false;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    if (m.role !== "user" && m.role !== "assistant") return `1 validation error detected: Value '${m.role}' at 'messages.${i + 1}.member.role' failed to satisfy constraint: Member must satisfy enum value set: [user, assistant]`;
    if (i > 0 && messages[i - 1]!.role === m.role) return "A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.";
    if (!Array.isArray(m.content) || m.content.length === 0) return `The content field in the Message object at messages.${i}.content is empty. Add a ContentBlock object to the content field and try again.`;
    for (const b of m.content) {
      if (b.toolUse || b.toolResult) usesTools = true;
      if (b.image && (!["png", "jpeg", "gif", "webp"].includes(b.image.format ?? "") || !/^[A-Za-z0-9+/]*={0,2}$/.test(b.image.source?.bytes ?? "!"))) {
        return `The image at messages.${i}.content is not valid. Provide base64 bytes and a png, jpeg, gif or webp format.`;
      }
    }
    const results = m.content.filter((b) => b.toolResult).map((b) => b.toolResult!.toolUseId);
    if (results.length > 0) {
      const asked = (messages[i - 1]?.content ?? []).filter((b) => b.toolUse).map((b) => b.toolUse!.toolUseId);
      const unknown = results.find((id) => !asked.includes(id));
      if (unknown) return `The toolResult block with id ${unknown} at messages.${i}.content does not match a toolUse block of the previous turn.`;
    }
  }
  if (usesTools && !body.toolConfig) return "The toolConfig field must be defined when using toolUse and toolResult content blocks.";
  const max = body.inferenceConfig?.maxTokens;
  if (max !== undefined && (!Number.isInteger(max) || max < 1)) return "The maximum tokens you requested must be a positive integer.";
  return undefined;
}

export function converseBrainInput(body: ConverseBody): BrainInput {
  const turns: BrainTurn[] = (body.messages ?? []).map((m) => ({
    role: m.role === "assistant" ? "assistant" : "user",
    text: m.content.map((b) => b.text ?? "").join(""),
    toolCalls: m.content.filter((b) => b.toolUse).map((b) => ({ name: b.toolUse!.name, args: b.toolUse!.input })),
    toolResults: m.content.filter((b) => b.toolResult).map((b) => (b.toolResult!.content ?? []).map((c) => c.text ?? JSON.stringify(c.json)).join("")),
  }));
  const choice = body.toolConfig?.toolChoice;
  const input: BrainInput = {
    system: (body.system ?? []).map((s) => s.text ?? "").join("\n"),
    turns,
    tools: (body.toolConfig?.tools ?? []).map((t) => t.toolSpec?.name ?? ""),
    forceTool: choice?.any ? "any" : choice?.tool?.name,
  };
  if (body.inferenceConfig?.maxTokens !== undefined) input.maxTokens = body.inferenceConfig.maxTokens;
  if (body.inferenceConfig?.stopSequences) input.stop = body.inferenceConfig.stopSequences;
  return input;
}

export function toolUseIdFor(body: ConverseBody): string {
  return `tooluse_${createHash("sha256").update(JSON.stringify(body.messages)).digest("base64url").slice(0, 22)}`;
}

export const stopReasons = { stop: "end_turn", length: "max_tokens", tool: "tool_use", stop_sequence: "stop_sequence" } as const;

export function converseResponse(out: BrainOutput, toolUseId: string): Record<string, unknown> {
  const content = out.toolCall
    ? [{ toolUse: { toolUseId, name: out.toolCall.name, input: out.toolCall.args } }]
    : [{ text: out.text }];
  return {
    output: { message: { role: "assistant", content } },
    stopReason: stopReasons[out.finish],
    usage: { inputTokens: out.promptTokens, outputTokens: out.completionTokens, totalTokens: out.promptTokens + out.completionTokens },
    metrics: { latencyMs: 1 },
  };
}

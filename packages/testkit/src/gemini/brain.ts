/**
 * The deterministic "model" behind the Bedrock, Gemini and Vertex simulators:
 * the answer is derived from the request alone, so tests can predict it.
 *  - after a tool result: `Tool said: <results>`
 *  - when a tool is forced, or the last user text names a declared tool: a call
 *    to it with `{"query": <last user text>}`
 *  - otherwise: `Echo: <last user text>`
 * Token counts, truncation and stop sequences follow the shared simulator rules
 * (shared/text.ts), so every protocol's simulator counts alike.
 */
import { applyStop, simTokenCount, truncateToTokens } from "../shared/text";

export interface BrainTurn {
  role: "user" | "assistant";
  text: string;
  toolCalls?: Array<{ name: string; args: unknown }>;
  toolResults?: string[];
}

export interface BrainInput {
  system: string;
  turns: BrainTurn[];
  tools: string[];
  /** A tool name, or "any" for "call one of them". */
  forceTool?: string;
  maxTokens?: number;
  stop?: string[];
}

export type BrainFinish = "stop" | "length" | "tool" | "stop_sequence";

export interface BrainOutput {
  text: string;
  toolCall?: { name: string; args: Record<string, unknown> };
  finish: BrainFinish;
  promptTokens: number;
  completionTokens: number;
}

/** Input tokens: every system and turn segment (text, tool calls as JSON, tool results) joined with "\n". */
export function countPromptTokens(input: BrainInput): number {
  const segments = [input.system, ...input.turns.flatMap((t) => [
    t.text, ...(t.toolCalls ?? []).map((c) => JSON.stringify(c.args ?? {})), ...(t.toolResults ?? []),
  ])].filter((s) => s !== "");
  return simTokenCount(segments.join("\n"));
}

export function think(input: BrainInput): BrainOutput {
  const promptTokens = countPromptTokens(input);
  const last = input.turns[input.turns.length - 1];
  const lastText = last?.text.trim() ?? "";
  if (last?.toolResults?.length) return finishText(`Tool said: ${last.toolResults.join("; ")}`, input, promptTokens);
  const named = input.tools.find((t) => new RegExp(`\\b${escape(t)}\\b`).test(lastText));
  const tool = input.forceTool === "any" ? named ?? input.tools[0] : input.forceTool ?? named;
  if (tool && input.tools.includes(tool)) {
    const args = { query: lastText };
    return { text: "", toolCall: { name: tool, args }, finish: "tool", promptTokens, completionTokens: simTokenCount(JSON.stringify(args)) };
  }
  return finishText(`Echo: ${lastText}`, input, promptTokens);
}

function finishText(full: string, input: BrainInput, promptTokens: number): BrainOutput {
  const stopped = applyStop(full, input.stop);
  const cut = truncateToTokens(stopped.text, input.maxTokens);
  const finish: BrainFinish = cut.truncated ? "length" : stopped.stoppedBy !== undefined ? "stop_sequence" : "stop";
  return { text: cut.text, finish, promptTokens, completionTokens: simTokenCount(cut.text) };
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

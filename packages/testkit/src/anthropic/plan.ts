import { applyStop, simTokenCount, truncateToTokens } from "../shared/text";

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

export type SimBlock =
  | { type: "thinking"; thinking: string; signature: string }
  | { type: "text"; text: string }
  | { type: "tool_use"; id: string; name: string; input: Record<string, unknown> };

export interface MessagePlan {
  blocks: SimBlock[];
  stopReason: "end_turn" | "max_tokens" | "stop_sequence" | "tool_use";
  stopSequence: string | null;
  usage: { input_tokens: number; cache_creation_input_tokens: number; cache_read_input_tokens: number; output_tokens: number };
}

function blockText(b: unknown): string {
  if (typeof b === "string") return b;
  if (!isObj(b)) return "";
  switch (b["type"]) {
    case "text":
      return String(b["text"] ?? "");
    case "thinking":
      return String(b["thinking"] ?? "");
    case "tool_use":
      return JSON.stringify(b["input"] ?? {});
    case "tool_result": {
      const c = b["content"];
      return typeof c === "string" ? c : Array.isArray(c) ? c.map(blockText).join("") : "";
    }
    default:
      return "";
  }
}

/** Every countable segment in order (system blocks, then message blocks), with its cache mark. */
function segments(body: Json): Array<{ text: string; cache: boolean }> {
  const out: Array<{ text: string; cache: boolean }> = [];
  const sys = body["system"];
  if (typeof sys === "string") out.push({ text: sys, cache: false });
  else if (Array.isArray(sys)) for (const b of sys) out.push({ text: blockText(b), cache: isObj(b) && isObj(b["cache_control"]) });
  for (const m of Array.isArray(body["messages"]) ? body["messages"] : []) {
    if (!isObj(m)) continue;
    const c = m["content"];
    if (typeof c === "string") out.push({ text: c, cache: false });
    else if (Array.isArray(c)) for (const b of c) out.push({ text: blockText(b), cache: isObj(b) && isObj(b["cache_control"]) });
  }
  return out;
}

/** Input tokens: the text of every system and message segment joined with "\n". */
export function countInputTokens(body: Json): number {
  return simTokenCount(segments(body).map((s) => s.text).join("\n"));
}

/**
 * The simulated Claude. Prompt caching: the prefix up to the last block with
 * `cache_control` is written on first sight and read afterwards (per
 * simulator), and those tokens leave `input_tokens` as Anthropic reports them.
 */
export function planMessage(body: Json, n: number, cache: Set<string>): MessagePlan {
  const segs = segments(body);
  const total = simTokenCount(segs.map((s) => s.text).join("\n"));
  const lastMark = segs.map((s) => s.cache).lastIndexOf(true);
  let cacheRead = 0;
  let cacheWrite = 0;
  if (lastMark !== -1) {
    const prefix = segs.slice(0, lastMark + 1).map((s) => s.text).join("\n");
    const tokens = simTokenCount(prefix);
    if (cache.has(prefix)) cacheRead = tokens;
    else {
      cache.add(prefix);
      cacheWrite = tokens;
    }
  }

  const messages = Array.isArray(body["messages"]) ? body["messages"].filter(isObj) : [];
  const lastUser = [...messages].reverse().find((m) => m["role"] === "user");
  const content = lastUser?.["content"];
  const toolResults = Array.isArray(content) ? content.filter((b) => isObj(b) && b["type"] === "tool_result") : [];
  const userText = typeof content === "string" ? content : Array.isArray(content) ? content.filter((b) => isObj(b) && b["type"] === "text").map(blockText).join("") : "";

  const blocks: SimBlock[] = [];
  const thinking = body["thinking"];
  if (isObj(thinking) && (thinking["type"] === "enabled" || thinking["type"] === "adaptive")) {
    blocks.push({ type: "thinking", thinking: `Considering: ${userText}`, signature: `sig_sim_${n}` });
  }
  const tools = Array.isArray(body["tools"]) ? body["tools"].filter(isObj) : [];
  const choice = isObj(body["tool_choice"]) ? body["tool_choice"] : { type: "auto" };
  let stopReason: MessagePlan["stopReason"] = "end_turn";
  let stopSequence: string | null = null;

  if (tools.length > 0 && choice["type"] !== "none" && toolResults.length === 0) {
    const name = choice["type"] === "tool" ? String(choice["name"]) : String(tools[0]?.["name"] ?? "tool");
    if (choice["type"] === "auto") blocks.push({ type: "text", text: `Calling ${name}.` });
    blocks.push({ type: "tool_use", id: `toolu_sim_${n}`, name, input: { input: userText } });
    stopReason = "tool_use";
  } else {
    const reply = toolResults.length > 0 ? `Tool result: ${toolResults.map(blockText).join("\n")}` : `Echo: ${userText}`;
    const stops = Array.isArray(body["stop_sequences"]) ? body["stop_sequences"].map(String) : undefined;
    const stopped = applyStop(reply, stops);
    if (stopped.stoppedBy !== undefined) {
      stopReason = "stop_sequence";
      stopSequence = stopped.stoppedBy;
    }
    const used = blocks.reduce((s, b) => s + (b.type === "thinking" ? simTokenCount(b.thinking) : 0), 0);
    const max = typeof body["max_tokens"] === "number" ? Math.max(0, body["max_tokens"] - used) : undefined;
    const cut = truncateToTokens(stopped.text, max);
    if (cut.truncated) {
      stopReason = "max_tokens";
      stopSequence = null;
    }
    blocks.push({ type: "text", text: cut.text });
  }
  const output = blocks.reduce(
    (s, b) => s + simTokenCount(b.type === "text" ? b.text : b.type === "thinking" ? b.thinking : JSON.stringify(b.input)),
    0,
  );
  return {
    blocks,
    stopReason,
    stopSequence,
    usage: { input_tokens: Math.max(0, total - cacheRead - cacheWrite), cache_creation_input_tokens: cacheWrite, cache_read_input_tokens: cacheRead, output_tokens: output },
  };
}

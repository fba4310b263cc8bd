import type { RouteContext } from "../shared/server";
import { sendJson } from "../shared/server";
import { createSseWriter } from "../shared/sse-writer";
import { simTokenCount, splitPieces } from "../shared/text";

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

function inputText(input: unknown): string {
  if (typeof input === "string") return input;
  if (!Array.isArray(input)) return "";
  return input
    .map((item) => {
      if (!isObj(item)) return "";
      const c = item["content"];
      if (typeof c === "string") return c;
      if (Array.isArray(c)) return c.map((p) => (isObj(p) && typeof p["text"] === "string" ? p["text"] : "")).join("");
      return typeof item["output"] === "string" ? item["output"] : "";
    })
    .join("\n");
}

/** `/v1/responses`: answers `Echo: <input text>`; streams the documented `response.*` events. */
export async function respondResponses(ctx: RouteContext, body: Json, model: string): Promise<void> {
  const text = `Echo: ${inputText(body["input"])}`;
  const inTokens = simTokenCount([typeof body["instructions"] === "string" ? body["instructions"] : "", inputText(body["input"])].filter(Boolean).join("\n"));
  const outTokens = simTokenCount(text);
  const id = `resp_sim_${ctx.n}`;
  const msgId = `msg_sim_${ctx.n}`;
  const createdAt = Math.floor(Date.now() / 1000);
  const part = { type: "output_text", text, annotations: [] };
  const item = { id: msgId, type: "message", status: "completed", role: "assistant", content: [part] };
  const response = (status: string, output: unknown[], usage: Json | null): Json => ({
    id, object: "response", created_at: createdAt, status, model, output, error: null, incomplete_details: null,
    instructions: body["instructions"] ?? null, metadata: body["metadata"] ?? {}, parallel_tool_calls: true, temperature: 1,
    tool_choice: "auto", tools: [], top_p: 1, usage,
  });
  const usage = {
    input_tokens: inTokens, input_tokens_details: { cached_tokens: 0 }, output_tokens: outTokens,
    output_tokens_details: { reasoning_tokens: 0 }, total_tokens: inTokens + outTokens,
  };
  if (body["stream"] !== true) {
    sendJson(ctx.res, 200, response("completed", [item], usage));
    return;
  }
  const w = createSseWriter(ctx.res, ctx.faults);
  let seq = 0;
  const ev = (type: string, fields: Json) => w.event({ type, sequence_number: seq++, ...fields }, type);
  if (!(await ev("response.created", { response: response("in_progress", [], null) }))) return;
  if (!(await ev("response.in_progress", { response: response("in_progress", [], null) }))) return;
  if (!(await ev("response.output_item.added", { output_index: 0, item: { ...item, status: "in_progress", content: [] } }))) return;
  if (!(await ev("response.content_part.added", { item_id: msgId, output_index: 0, content_index: 0, part: { ...part, text: "" } }))) return;
  for (const delta of splitPieces(text)) {
    if (!(await ev("response.output_text.delta", { item_id: msgId, output_index: 0, content_index: 0, delta }))) return;
  }
  if (!(await ev("response.output_text.done", { item_id: msgId, output_index: 0, content_index: 0, text }))) return;
  if (!(await ev("response.content_part.done", { item_id: msgId, output_index: 0, content_index: 0, part }))) return;
  if (!(await ev("response.output_item.done", { output_index: 0, item }))) return;
  await w.terminal({ type: "response.completed", sequence_number: seq++, response: response("completed", [item], usage) }, "response.completed");
  w.end();
}

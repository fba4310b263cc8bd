/** generateContent / streamGenerateContent for the Gemini and Vertex simulators. */
import { createHash } from "node:crypto";
import type { ServerResponse } from "node:http";
import type { Faults } from "../shared/faults";
import { sleep, type RouteContext } from "../shared/server";
import { splitPieces } from "../shared/text";
import { think, type BrainInput, type BrainOutput, type BrainTurn } from "./brain";
import { googleError } from "./google-errors";
import { validateGenerate, type GenerateBody, type Part } from "./validate";

export interface GenerateOptions {
  model: string;
  stream: boolean;
  /** Vertex adds createTime and trafficType. */
  flavor: "gemini" | "vertex";
}

const finishReasons = { stop: "STOP", length: "MAX_TOKENS", tool: "STOP", stop_sequence: "STOP" } as const;

function answerText(p: Part[] | undefined): string {
  return (p ?? []).filter((x) => x.text !== undefined && !x.thought).map((x) => x.text).join("");
}

export function generateBrainInput(body: GenerateBody): BrainInput {
  const turns: BrainTurn[] = (body.contents ?? []).map((c) => ({
    role: c.role === "model" ? "assistant" : "user",
    text: answerText(c.parts),
    toolCalls: (c.parts ?? []).filter((p) => p.functionCall).map((p) => ({ name: p.functionCall!.name, args: p.functionCall!.args })),
    toolResults: (c.parts ?? []).filter((p) => p.functionResponse).map((p) => {
      const r = p.functionResponse!.response ?? {};
      return typeof r.result === "string" ? r.result : JSON.stringify(r);
    }),
  }));
  const fcc = body.toolConfig?.functionCallingConfig;
  const input: BrainInput = {
    system: answerText(body.systemInstruction?.parts),
    turns,
    tools: fcc?.mode === "NONE" ? [] : (body.tools ?? []).flatMap((t) => (t.functionDeclarations ?? []).map((d) => d.name)),
  };
  if (fcc?.mode === "ANY") input.forceTool = fcc.allowedFunctionNames?.length === 1 ? fcc.allowedFunctionNames[0] : "any";
  const g = body.generationConfig;
  if (g?.maxOutputTokens !== undefined) input.maxTokens = g.maxOutputTokens;
  if (g?.stopSequences) input.stop = g.stopSequences;
  return input;
}

function envelope(body: GenerateBody, opts: GenerateOptions): Record<string, unknown> {
  const responseId = createHash("sha256").update(JSON.stringify(body.contents)).digest("base64url").slice(0, 22);
  const e: Record<string, unknown> = { modelVersion: opts.model, responseId };
  if (opts.flavor === "vertex") e.createTime = "2025-01-01T00:00:00.000000Z";
  return e;
}

function usage(out: BrainOutput, final: boolean, flavor: GenerateOptions["flavor"], candidates = 1): Record<string, unknown> {
  const completion = out.completionTokens * candidates;
  const u: Record<string, unknown> = final
    ? { promptTokenCount: out.promptTokens, candidatesTokenCount: completion, totalTokenCount: out.promptTokens + completion }
    : { promptTokenCount: out.promptTokens, totalTokenCount: out.promptTokens };
  if (flavor === "vertex") u.trafficType = "ON_DEMAND";
  return u;
}

/** Gemini 3 signs its function calls; the signature is opaque, here a hash of the call. */
function functionCallPart(out: BrainOutput, model: string): Part {
  const part: Part = { functionCall: { name: out.toolCall!.name, args: out.toolCall!.args } };
  if (/(^|\/)gemini-3/.test(model)) part.thoughtSignature = createHash("sha256").update(JSON.stringify(out.toolCall)).digest("base64");
  return part;
}

export async function serveGenerate(ctx: RouteContext, opts: GenerateOptions): Promise<void> {
  const { res, recorded, faults } = ctx;
  const body = recorded.body as GenerateBody | undefined;
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    googleError(res, 400, "Invalid JSON payload received. Unexpected token.");
    return;
  }
  const invalid = validateGenerate(body, opts.model);
  if (invalid) {
    googleError(res, 400, invalid);
    return;
  }
  const out = think(generateBrainInput(body));
  const n = Math.max(1, body.generationConfig?.candidateCount ?? 1);
  const finishReason = finishReasons[out.finish];
  if (!opts.stream) {
    const parts = out.toolCall ? [functionCallPart(out, opts.model)] : [{ text: out.text }];
    const candidates = Array.from({ length: n }, (_, index) => ({ content: { role: "model", parts }, finishReason, index }));
    res.writeHead(200, { "content-type": "application/json; charset=UTF-8" });
    res.end(JSON.stringify({ candidates, usageMetadata: usage(out, true, opts.flavor, n), ...envelope(body, opts) }));
    return;
  }
  const pieces: Part[][] = out.toolCall ? [[functionCallPart(out, opts.model)]] : splitPieces(out.text).map((text) => [{ text }]);
  if (pieces.length === 0) pieces.push([{ text: "" }]);
  // The last event carries finishReason and the final usage; `noTerminal` leaves both out.
  const events = pieces.map((parts, i) => {
    const last = i === pieces.length - 1 && !faults.noTerminal;
    const candidate: Record<string, unknown> = { content: { role: "model", parts }, index: 0 };
    if (last) candidate.finishReason = finishReason;
    return JSON.stringify({ candidates: [candidate], usageMetadata: usage(out, last, opts.flavor), ...envelope(body, opts) });
  });
  await writeSse(res, events, faults);
}

/** Google frames SSE with CRLF; stream faults apply per event. */
async function writeSse(res: ServerResponse, events: string[], faults: Faults): Promise<void> {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  for (let i = 0; i < events.length; i++) {
    if (faults.chunkDelayMs && i > 0) await sleep(faults.chunkDelayMs);
    if (faults.disconnectAfterChunks === i) {
      await new Promise<void>((r) => res.write("", () => r()));
      res.socket?.destroy();
      return;
    }
    if (faults.streamErrorAfter === i) {
      res.end(`data: ${JSON.stringify({ error: { code: 503, message: "The model is overloaded. Please try again later.", status: "UNAVAILABLE" } })}\r\n\r\n`);
      return;
    }
    const data = faults.malformedChunkAt === i ? events[i]!.slice(0, Math.floor(events[i]!.length / 2)) : events[i]!;
    res.write(`data: ${data}\r\n\r\n`);
    await new Promise((resolve) => setImmediate(resolve));
  }
  res.end();
}

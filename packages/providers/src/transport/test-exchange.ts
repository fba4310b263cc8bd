/**
 * Test helper: one chat exchange through adapter + transport, the way a route
 * would do it. Lives beside the tests that use it; not exported by the package.
 */
import type { ChatChunk, ChatRequest, ChatResponse, Usage } from "@portcullis/core";
import { createTransport, readBody } from "./transport";
import type { BuildContext, ProviderAdapter, Target, UpstreamError } from "../types";

export const transport = createTransport();
export const ctx: BuildContext = { now: new Date(1_700_000_000_000), requestId: "req_test" };

export type Exchange =
  | { ok: true; response: ChatResponse }
  | { ok: false; error: UpstreamError };

export async function chatOnce(adapter: ProviderAdapter, req: ChatRequest, target: Target): Promise<Exchange> {
  const up = adapter.chat.buildChatRequest(req, target, ctx);
  const res = await transport.sendUpstream(up);
  const body = await readBody(res.body);
  if (res.status >= 400) return { ok: false, error: adapter.chat.parseError(res.status, res.headers, body) };
  return { ok: true, response: adapter.chat.parseChatResponse(body, target, ctx) };
}

export interface StreamResult {
  status: number;
  chunks: ChatChunk[];
  complete: boolean;
  error?: UpstreamError;
  usage?: Usage;
  /** The transport's error if the connection broke. */
  transportError?: unknown;
}

export async function chatStream(adapter: ProviderAdapter, req: ChatRequest, target: Target): Promise<StreamResult> {
  const up = adapter.chat.buildChatRequest({ ...req, stream: true }, target, ctx);
  const res = await transport.sendUpstream(up);
  if (res.status >= 400) {
    return { status: res.status, chunks: [], complete: false, error: adapter.chat.parseError(res.status, res.headers, await readBody(res.body)) };
  }
  const dec = adapter.chat.createStreamDecoder(target, { ...req, stream: true }, ctx);
  const chunks: ChatChunk[] = [];
  let transportError: unknown;
  try {
    for await (const bytes of res.body) chunks.push(...dec.push(bytes));
  } catch (e) {
    transportError = e;
  }
  const end = dec.end();
  chunks.push(...end.chunks);
  const usage = dec.usage();
  return {
    status: res.status, chunks, complete: end.complete,
    ...(end.error ? { error: end.error } : {}), ...(usage ? { usage } : {}), ...(transportError !== undefined ? { transportError } : {}),
  };
}

export const textOf = (chunks: ChatChunk[]) => chunks.map((c) => c.choices[0]?.delta.content ?? "").join("");

import type { Context } from "hono";
import { PortcullisError, type ChatChunk, type ChatRequest, type ChatResponse } from "@portcullis/core";
import { estimatePromptTokens, normalizeOpenAiUsage, type NormalizedUsage } from "@portcullis/policy";
import { getAdapter, isUsageOnlyChunk, upstreamErrorToPortcullis, wantsStreamUsage, type Target, type UpstreamResponse } from "@portcullis/providers";
import { recordDenial } from "../events";
import type { Admission } from "../governance/governance";
import type { ResolvedTarget } from "../routing/resolve-targets";
import { buildTarget } from "./credentials";
import type { AttemptContext } from "./attempts";
import { beforeFirstToken, readUpstreamJson, sendUpstream } from "./send";
import type { RequestTrace } from "./trace";

export interface StreamEnd {
  complete: boolean;
  error?: PortcullisError;
}

export type ChatOutcome =
  | { kind: "json"; response: ChatResponse; target: ResolvedTarget; headers: Record<string, string> }
  | { kind: "stream"; chunks: AsyncGenerator<ChatChunk, StreamEnd>; target: ResolvedTarget; headers: Record<string, string> };

const usageOf = (u: ChatResponse["usage"] | null | undefined): NormalizedUsage | undefined => (u ? normalizeOpenAiUsage(u) : undefined);

export interface AttemptAdmission {
  headers: Record<string, string>;
  /** Turns the reservation into the real cost; undefined usage releases it. Call exactly once. */
  settle(usage: NormalizedUsage | undefined): Promise<void>;
}

/** Admits one attempt against every limit; a denial is recorded as a decision event and thrown. */
export async function admitAttempt(
  c: Context,
  trace: RequestTrace,
  resolved: ResolvedTarget,
  promptTokens: number,
  maxOutputTokens: number | undefined,
): Promise<AttemptAdmission> {
  const services = c.get("services");
  const { key, snapshot } = c.get("auth");
  trace.target(resolved);
  let admission: Admission;
  try {
    admission = await services.governance.admit({
      snapshot, key, target: resolved, requestId: c.get("requestId"), attempt: trace.record.attempts, promptTokens,
      ...(c.get("tenantId") ? { tenantId: c.get("tenantId")! } : {}),
      ...(maxOutputTokens !== undefined ? { maxOutputTokens } : {}),
    });
  } catch (e) {
    recordDenial(c, e);
    throw e;
  }
  let settled = false;
  return {
    headers: { ...admission.headers, ...trace.targetHeaders(resolved) },
    async settle(usage) {
      if (settled) return;
      settled = true;
      const { costMicros, alerts } = await services.governance.settle(admission, usage);
      trace.usage(usage, costMicros);
      for (const a of alerts) services.events.alert({ kind: "budget_soft_threshold", at: services.now(), ...a });
    },
  };
}

const hasContent = (chunk: ChatChunk) =>
  chunk.choices.some((ch) => Boolean(ch.delta.content || ch.delta.tool_calls?.length || ch.delta.reasoning_content || ch.finish_reason));

/**
 * Holds the stream back until its first token: a stream that breaks before then has
 * sent the client nothing and may be retried elsewhere; after it, it is committed.
 */
async function primeStream(gen: AsyncGenerator<ChatChunk, StreamEnd>, provider: string): Promise<AsyncGenerator<ChatChunk, StreamEnd>> {
  const buffered: ChatChunk[] = [];
  for (;;) {
    const next = await gen.next();
    if (next.done) {
      if (!next.value.complete && !buffered.some(hasContent)) throw beforeFirstToken(next.value.error, provider);
      const end = next.value;
      return (async function* replayEnded() {
        yield* buffered;
        return end;
      })();
    }
    buffered.push(next.value);
    if (hasContent(next.value)) {
      return (async function* replay() {
        try {
          yield* buffered;
          return yield* gen;
        } finally {
          await gen.return({ complete: false });
        }
      })();
    }
  }
}

/**
 * One canonical chat call, as both inbound protocols need it: admit against every
 * limit (one round trip), call the upstream through its adapter, and settle the real
 * cost (one round trip) when the response or the stream ends, however it ends.
 */
export async function runChat(c: Context, req: ChatRequest, trace: RequestTrace, resolved: ResolvedTarget, attempt: AttemptContext): Promise<ChatOutcome> {
  const services = c.get("services");
  const requestId = c.get("requestId");
  const maxOut = req.max_completion_tokens ?? req.max_tokens;
  const { headers, settle } = await admitAttempt(c, trace, resolved, estimatePromptTokens(req), maxOut);
  const adapter = getAdapter(resolved.provider.type);
  const ctx = { now: new Date(services.now()), requestId };
  let target: Target;
  let res: UpstreamResponse;
  try {
    target = await buildTarget(resolved, services.secrets, services.vertexTokens);
    res = await sendUpstream(c, adapter.chat.buildChatRequest({ ...req, model: resolved.upstreamModel }, target, ctx), resolved, adapter.chat.parseError, attempt.timeoutMs);
  } catch (e) {
    await settle(undefined);
    throw e;
  }

  if (!req.stream) {
    try {
      const response = adapter.chat.parseChatResponse(await readUpstreamJson(res), target, ctx);
      await settle(usageOf(response.usage));
      return { kind: "json", response, target: resolved, headers };
    } catch (e) {
      await settle(undefined);
      throw e;
    }
  }

  const decoder = adapter.chat.createStreamDecoder(target, req, ctx);
  const clientWantsUsage = wantsStreamUsage(req);
  async function* chunks(): AsyncGenerator<ChatChunk, StreamEnd> {
    let end: StreamEnd = { complete: false };
    try {
      try {
        for await (const bytes of res.body) {
          for (const chunk of decoder.push(bytes)) {
            if (!clientWantsUsage && isUsageOnlyChunk(chunk)) continue;
            trace.firstToken();
            trace.streamChunk(chunk);
            yield chunk;
          }
        }
      } catch (e) {
        const last = decoder.end();
        for (const chunk of last.chunks) {
          if (!clientWantsUsage && isUsageOnlyChunk(chunk)) continue;
          trace.streamChunk(chunk);
          yield chunk;
        }
        end = { complete: false, error: e instanceof PortcullisError ? e : new PortcullisError({ code: "stream_incomplete", message: "upstream stream broke", cause: e }) };
        return end;
      }
      const last = decoder.end();
      for (const chunk of last.chunks) {
          if (!clientWantsUsage && isUsageOnlyChunk(chunk)) continue;
          trace.streamChunk(chunk);
          yield chunk;
        }
      end = last.complete
        ? { complete: true }
        : {
            complete: false,
            error: last.error
              ? upstreamErrorToPortcullis(last.error, resolved.provider.name)
              : new PortcullisError({ code: "stream_incomplete", message: `${resolved.provider.name} ended the stream before its terminal event` }),
          };
      return end;
    } finally {
      // Runs on normal end, on a broken stream and when the client goes away: the partial usage is billed.
      res.cancel();
      await settle(decoder.usage() ? normalizeOpenAiUsage(decoder.usage()!) : undefined);
    }
  }
  return { kind: "stream", chunks: await primeStream(chunks(), resolved.provider.name), target: resolved, headers };
}

import type { Context } from "hono";
import { PortcullisError } from "@portcullis/core";
import { readBody, upstreamErrorToPortcullis, type ChatAdapter, type UpstreamRequest, type UpstreamResponse } from "@portcullis/providers";
import { clientSignal } from "../lib/node-request";
import type { ResolvedTarget } from "../routing/resolve-targets";

/**
 * Sends the upstream request with the client's abort signal (a disconnect cancels
 * it) and the per-attempt timeout. An error status becomes a PortcullisError in
 * neutral terms, keeping status, type and retry-after.
 */
export async function sendUpstream(
  c: Context,
  up: UpstreamRequest,
  target: ResolvedTarget,
  parseError: ChatAdapter["parseError"],
  timeoutMs?: number,
): Promise<UpstreamResponse> {
  const services = c.get("services");
  const started = performance.now();
  const res = await services.transport.sendUpstream(up, { signal: clientSignal(c), timeoutMs: timeoutMs ?? services.upstreamTimeoutMs });
  services.metrics.upstreamDuration.observe({ provider: target.provider.name, model: target.upstreamModel }, (performance.now() - started) / 1000);
  if (res.status < 400) return res;
  let body: Uint8Array;
  try {
    body = await readBody(res.body, 1024 * 1024);
  } catch {
    body = new Uint8Array();
  }
  throw upstreamErrorToPortcullis(parseError(res.status, res.headers, body), target.provider.name);
}

/** A stream that failed before anything reached the client: safe to try elsewhere. */
export function beforeFirstToken(err: PortcullisError | undefined, provider: string): PortcullisError {
  const base = err ?? new PortcullisError({ code: "stream_incomplete", message: `${provider} ended the stream before the first token` });
  return new PortcullisError({
    code: base.code, message: base.message, status: base.status, ...(base.retryAfter !== undefined ? { retryAfter: base.retryAfter } : {}),
    details: { ...base.details, beforeFirstToken: true },
  });
}

export async function readUpstreamJson(res: UpstreamResponse): Promise<Uint8Array> {
  try {
    return await readBody(res.body);
  } catch (e) {
    if (e instanceof PortcullisError) throw e;
    throw new PortcullisError({ code: "upstream_error", message: "upstream response could not be read", cause: e });
  }
}

import type { Target, UpstreamRequest } from "../types";

/** A Responses API call forwarded natively: only the model changes. */
export function buildResponsesUpstream(body: Record<string, unknown>, target: Target, url: string, headers: Record<string, string>): UpstreamRequest {
  const stream = body["stream"] === true;
  return {
    method: "POST",
    url,
    headers: { ...headers, accept: stream ? "text/event-stream" : "application/json" },
    body: JSON.stringify({ ...body, model: target.model }),
    stream,
  };
}

import type { Context } from "hono";

type Body = string | Uint8Array | ReadableStream<Uint8Array>;

/**
 * A response whose headers stay a plain object, with the request id. `c.json()` and
 * `c.body()` turn more than one header into a web `Headers`, which node-server then
 * turns back into an object for Node: per request on the hot path, that round trip
 * costs more than the rest of the response.
 */
export function respond(c: Context, body: Body, status: number, headers: Record<string, string>, contentType?: string): Response {
  c.set("requestIdSent", true);
  const all: Record<string, string> = { "x-request-id": c.get("requestId") };
  if (contentType !== undefined) all["content-type"] = contentType;
  // The caller's headers win, as with hono's helpers (its content type included).
  for (const k in headers) all[k] = headers[k]!;
  return new Response(body as ConstructorParameters<typeof Response>[0], { status, headers: all });
}

/** `c.json(value, status, headers)` with plain-object headers (same content type rule: the caller's wins). */
export function respondJson(c: Context, value: unknown, status: number, headers: Record<string, string>): Response {
  return respond(c, JSON.stringify(value), status, headers, "application/json");
}

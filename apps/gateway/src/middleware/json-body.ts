import type { MiddlewareHandler } from "hono";
import { PortcullisError } from "@portcullis/core";

const utf8 = new TextDecoder("utf-8", { fatal: true });

async function readLimited(body: ReadableStream<Uint8Array> | null, limit: number): Promise<Uint8Array> {
  if (!body) return new Uint8Array();
  const reader = body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new PortcullisError({ code: "payload_too_large", message: `request body exceeds ${limit} bytes` });
    }
    parts.push(value);
  }
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/**
 * Reads the body once, within the size limit, as strict UTF-8 JSON whose top level is an
 * object. Every failure is a 4xx naming what was wrong.
 */
export function jsonBody(): MiddlewareHandler {
  return async function jsonBodyHandler(c, next) {
    const limit = c.get("services").maxBodyBytes;
    const type = c.req.header("content-type");
    if (type && !/^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i.test(type)) {
      throw new PortcullisError({ code: "unsupported_media_type", message: `content-type must be application/json, got "${type.slice(0, 100)}"` });
    }
    const declared = Number(c.req.header("content-length"));
    if (Number.isFinite(declared) && declared > limit) {
      throw new PortcullisError({ code: "payload_too_large", message: `request body of ${declared} bytes exceeds ${limit} bytes` });
    }
    const bytes = await readLimited(c.req.raw.body, limit);
    if (bytes.byteLength === 0) throw new PortcullisError({ code: "invalid_json", message: "request body is empty: expected a JSON object" });
    let text: string;
    try {
      text = utf8.decode(bytes);
    } catch {
      throw new PortcullisError({ code: "bad_request", message: "request body is not valid UTF-8" });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw new PortcullisError({ code: "invalid_json", message: `request body is not valid JSON: ${(e as Error).message}` });
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
      throw new PortcullisError({ code: "invalid_json", message: "request body must be a JSON object" });
    }
    c.set("body", parsed as Record<string, unknown>);
    await next();
  };
}

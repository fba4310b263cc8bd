import type { MiddlewareHandler } from "hono";
import { PortcullisError } from "@portcullis/core";
import { readRequestBody } from "../lib/node-request";

const utf8 = new TextDecoder("utf-8", { fatal: true });

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
    const bytes = await readRequestBody(c, limit);
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

import type { MiddlewareHandler } from "hono";
import { newId } from "@portcullis/core";

const acceptable = /^[A-Za-z0-9._:-]{1,128}$/;

/** Assigns the request id (or keeps a well-formed one from the caller) and echoes it. */
export function requestId(): MiddlewareHandler {
  return async function requestIdHandler(c, next) {
    const incoming = c.req.header("x-request-id");
    const id = incoming && acceptable.test(incoming) ? incoming : newId("request");
    c.set("requestId", id);
    await next();
    // Responses built by lib/respond (the hot path) and errorResponse carry the id already; setting it
    // up front would cost every request a web Headers that those responses never use.
    if (!c.get("requestIdSent")) c.header("x-request-id", id);
  };
}

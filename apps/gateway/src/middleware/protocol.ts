import type { MiddlewareHandler } from "hono";
import { PortcullisError } from "@portcullis/core";
import { authorizeEndpoint, type EndpointName } from "@portcullis/policy";
import type { Protocol } from "../context";

/** Marks the route's protocol, so every error on it answers in that protocol's shape. */
export function protocol(p: Protocol): MiddlewareHandler {
  return async function protocolHandler(c, next) {
    c.set("protocol", p);
    await next();
  };
}

/** The virtual key's endpoint allow-list (deny by default). */
export function endpoint(name: EndpointName): MiddlewareHandler {
  return async function endpointHandler(c, next) {
    const { key } = c.get("auth");
    const denial = authorizeEndpoint(key, name);
    if (denial) {
      c.get("services").events.decision(c, { action: "gateway.endpoint_denied", outcome: "denied", keyId: key.id, reason: denial.message, code: denial.code });
      throw new PortcullisError({ code: denial.code, message: denial.message });
    }
    await next();
  };
}

import { Hono, type MiddlewareHandler } from "hono";
import { timingSafeEqual } from "node:crypto";
import { PortcullisError } from "@portcullis/core";
import { clientIp } from "../middleware/virtual-key-auth";

const loopback = /^(127\.|::1$|::ffff:127\.)/;

/** Operators only: a bearer admin token when configured, otherwise requests from this host. */
function adminOnly(): MiddlewareHandler {
  return async function adminOnlyHandler(c, next) {
    const token = c.get("services").adminToken;
    if (token) {
      const presented = /^Bearer\s+(.+)$/i.exec(c.req.header("authorization") ?? "")?.[1] ?? "";
      const a = Buffer.from(presented);
      const b = Buffer.from(token);
      if (a.length !== b.length || !timingSafeEqual(a, b)) throw new PortcullisError({ code: "unauthenticated", message: "admin endpoints need the gateway admin token" });
    } else if (!loopback.test(clientIp(c) ?? "")) {
      throw new PortcullisError({ code: "forbidden", message: "admin endpoints answer only local requests unless GATEWAY_ADMIN_TOKEN is set" });
    }
    await next();
  };
}

/** Circuit breaker state of this process, and a reset. */
export const adminRoutes = new Hono()
  .get("/admin/circuits", adminOnly(), (c) => c.json({ node: c.get("services").nodeName, circuits: c.get("services").circuits.view() }))
  .post("/admin/circuits/reset", adminOnly(), (c) => {
    c.get("services").circuits.reset();
    return c.json({ ok: true });
  });

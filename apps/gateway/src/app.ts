import { Hono } from "hono";
import { PortcullisError, toOpenAiError } from "@portcullis/core";
import type { GatewayServices } from "./context";
import { requestId } from "./middleware/request-id";
import { healthRoutes } from "./routes/health";

/** Builds the gateway's HTTP app. No I/O here: everything arrives in `services`. */
export function createGatewayApp(services: GatewayServices): Hono {
  const app = new Hono();
  app.use("*", async (c, next) => {
    c.set("services", services);
    await next();
  });
  app.use("*", requestId());
  app.route("/", healthRoutes);
  app.notFound((c) => {
    const err = new PortcullisError({ code: "not_found", message: `no route for ${c.req.method} ${c.req.path}` });
    return c.json(toOpenAiError(err, c.get("requestId")), 404);
  });
  app.onError((e, c) => {
    const err = e instanceof PortcullisError ? e : new PortcullisError({ code: "internal", message: "internal error", cause: e });
    return c.json(toOpenAiError(err, c.get("requestId")), err.status as 500);
  });
  return app;
}

import { Hono } from "hono";
import { PortcullisError } from "@portcullis/core";
import type { GatewayServices } from "./context";
import { errorResponse } from "./errors";
import { watchClient } from "./lib/node-request";
import { requestId } from "./middleware/request-id";
import { adminRoutes } from "./routes/admin";
import { chatCompletionsRoute } from "./routes/chat-completions";
import { embeddingsRoute } from "./routes/embeddings";
import { healthRoutes } from "./routes/health";
import { messagesRoute } from "./routes/messages";
import { metricsRoute } from "./routes/metrics";
import { modelsRoute } from "./routes/models";
import { responsesRoute } from "./routes/responses";

/** Builds the gateway's HTTP app. No I/O here: everything arrives in `services`. */
export function createGatewayApp(services: GatewayServices): Hono {
  const app = new Hono();
  app.use("*", async (c, next) => {
    c.set("services", services);
    c.set("protocol", c.req.path.startsWith("/v1/messages") ? "anthropic" : "openai");
    watchClient(c);
    await next();
  });
  app.use("*", requestId());
  app.route("/", healthRoutes);
  app.route("/", metricsRoute);
  app.route("/", adminRoutes);
  app.route("/", chatCompletionsRoute);
  app.route("/", embeddingsRoute);
  app.route("/", responsesRoute);
  app.route("/", modelsRoute);
  app.route("/", messagesRoute);
  app.notFound((c) => errorResponse(c, new PortcullisError({ code: "not_found", message: `no route for ${c.req.method} ${c.req.path}` })));
  app.onError((e, c) => errorResponse(c, e));
  return app;
}

import { Hono } from "hono";

/** GET /metrics — Prometheus text exposition. */
export const metricsRoute = new Hono().get("/metrics", async (c) => {
  const { registry } = c.get("services").metrics;
  return c.body(await registry.metrics(), 200, { "content-type": registry.contentType });
});

import { Hono } from "hono";
import { summarizeReadiness } from "@portcullis/core";

/** `/healthz`: the process is alive. `/readyz`: it can serve, and in which mode. */
export const healthRoutes = new Hono()
  .get("/healthz", (c) => c.json({ status: "ok", service: "gateway", node: c.get("services").nodeName }))
  .get("/readyz", async (c) => {
    const readiness = summarizeReadiness(await c.get("services").dependencies());
    return c.json({ service: "gateway", ...readiness }, readiness.ready ? 200 : 503);
  });

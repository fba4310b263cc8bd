import { describe, expect, it } from "vitest";
import { createConfigHolder, createMemoryBus } from "@portcullis/config-sync";
import { createMemoryCounters } from "@portcullis/counters";
import { createGatewayApp } from "./app";
import { createMemorySink } from "./events";
import { createGatewayServices } from "./start";
import { buildSnapshot, testPepper } from "./testing/harness";

function app(over: Partial<Parameters<typeof createGatewayServices>[0]> = {}) {
  return createGatewayApp(createGatewayServices({
    port: 0, host: "127.0.0.1", nodeName: "test-node", maxBodyBytes: 1024, bus: createMemoryBus(),
    config: createConfigHolder(buildSnapshot([], [])), pepper: testPepper, counters: createMemoryCounters(),
    events: createMemorySink(), defaultMetrics: false, ...over,
  }));
}

describe("gateway app", () => {
  it("answers /healthz with the node name and a request id", async () => {
    const res = await app().request("/healthz");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", service: "gateway", node: "test-node" });
    expect(res.headers.get("x-request-id")).toMatch(/^req_/);
  });

  it("keeps a well-formed caller request id and replaces a malformed one", async () => {
    const a = app();
    expect((await a.request("/healthz", { headers: { "x-request-id": "abc-123" } })).headers.get("x-request-id")).toBe("abc-123");
    expect((await a.request("/healthz", { headers: { "x-request-id": "bad id\u0001" } })).headers.get("x-request-id")).toMatch(/^req_/);
  });

  it("/readyz is 503 naming the configuration when none is loaded", async () => {
    const res = await app({ config: createConfigHolder() }).request("/readyz");
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ ready: false, dependencies: [{ name: "config", state: "down", detail: "no configuration loaded" }, { name: "redis", state: "embedded" }] });
  });

  it("/readyz states a degraded mode while still ready", async () => {
    const res = await app({ configStatus: () => ({ state: "degraded", detail: "serving last good configuration from disk, v7" }) }).request("/readyz");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ready: true, mode: "degraded", dependencies: [{ name: "config", detail: "serving last good configuration from disk, v7" }, { name: "redis" }] });
  });

  it("answers unknown routes with a 404 in the route family's error shape", async () => {
    const res = await app().request("/v1/nope", { method: "POST" });
    expect(res.status).toBe(404);
    const body = (await res.json()) as { error: { code: string; message: string; request_id: string } };
    expect(body.error).toMatchObject({ code: "not_found", message: "no route for POST /v1/nope" });
    expect(body.error.request_id).toMatch(/^req_/);
    const anthropic = await app().request("/v1/messages/nope", { method: "POST" });
    expect(await anthropic.json()).toMatchObject({ type: "error", error: { type: "not_found_error" } });
  });

  it("serves Prometheus metrics", async () => {
    const res = await app().request("/metrics");
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("portcullis_requests_total");
  });
});

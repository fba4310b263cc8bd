import { describe, expect, it } from "vitest";
import { createGatewayApp } from "./app";
import type { GatewayServices } from "./context";

function services(over: Partial<GatewayServices> = {}): GatewayServices {
  return {
    nodeName: "test-node",
    maxBodyBytes: 1024,
    dependencies: async () => [{ name: "config", state: "up", required: true }],
    ...over,
  };
}

describe("gateway app", () => {
  it("answers /healthz with the node name and a request id", async () => {
    const res = await createGatewayApp(services()).request("/healthz");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", service: "gateway", node: "test-node" });
    expect(res.headers.get("x-request-id")).toMatch(/^req_/);
  });

  it("keeps a well-formed caller request id and replaces a malformed one", async () => {
    const app = createGatewayApp(services());
    expect((await app.request("/healthz", { headers: { "x-request-id": "abc-123" } })).headers.get("x-request-id")).toBe("abc-123");
    expect((await app.request("/healthz", { headers: { "x-request-id": "bad id\u0001" } })).headers.get("x-request-id")).toMatch(/^req_/);
  });

  it("/readyz is 503 naming the dependency when a required one is down", async () => {
    const app = createGatewayApp(services({ dependencies: async () => [{ name: "config", state: "down", required: true, detail: "no snapshot" }] }));
    const res = await app.request("/readyz");
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ ready: false, dependencies: [{ name: "config", state: "down", detail: "no snapshot" }] });
  });

  it("/readyz states a degraded mode while still ready", async () => {
    const app = createGatewayApp(services({
      dependencies: async () => [
        { name: "config", state: "up", required: true },
        { name: "redis", state: "down", required: false, detail: "serving last good configuration" },
      ],
    }));
    const res = await app.request("/readyz");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ready: true, mode: "degraded" });
  });

  it("answers unknown routes with a 404 in OpenAI's error shape", async () => {
    const res = await createGatewayApp(services()).request("/v1/nope", { method: "POST" });
    expect(res.status).toBe(404);
    const body = (await res.json()) as { error: { code: string; message: string; request_id: string } };
    expect(body.error.code).toBe("not_found");
    expect(body.error.message).toContain("POST /v1/nope");
    expect(body.error.request_id).toMatch(/^req_/);
  });
});

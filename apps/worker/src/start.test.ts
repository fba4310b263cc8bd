import { describe, expect, it } from "vitest";
import { createMemoryBus } from "@portcullis/config-sync";
import { createWorkerApp } from "./start";

describe("worker health", () => {
  it("is ready with a reachable database and the embedded bus", async () => {
    const app = createWorkerApp({ bus: createMemoryBus(), db: { ping: async () => {} } });
    expect((await app.request("/healthz")).status).toBe(200);
    const res = await app.request("/readyz");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ready: true, dependencies: [{ name: "postgres", state: "up" }, { name: "redis", state: "embedded" }] });
  });
  it("is not ready when PostgreSQL is unreachable, and says why", async () => {
    const app = createWorkerApp({ bus: createMemoryBus(), db: { ping: async () => { throw new Error("connect ECONNREFUSED 127.0.0.1:5432"); } } });
    const res = await app.request("/readyz");
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ ready: false, dependencies: [{ name: "postgres", state: "down", detail: "connect ECONNREFUSED 127.0.0.1:5432" }, { name: "redis", state: "embedded" }] });
  });
});

import { describe, expect, it } from "vitest";
import { createMemoryBus } from "@portcullis/config-sync";
import { createWorkerApp, startWorker } from "./start";

describe("worker jobs hook", () => {
  it("adds the jobs' readiness to /readyz without making optional jobs blocking", async () => {
    const jobs = {
      start: async () => {},
      stop: async () => {},
      readiness: async () => [{ name: "exports", state: "degraded" as const, required: false, detail: "splunk/audit: 12 behind (HTTP 503)" }],
    };
    const res = await createWorkerApp({ bus: createMemoryBus(), db: { ping: async () => {} }, jobs }).request("/readyz");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ready: true, mode: "degraded", dependencies: [{ name: "postgres" }, { name: "redis" }, { name: "exports", state: "degraded" }] });
  });

  it("starts the jobs once the server listens and stops them on close", async () => {
    const calls: string[] = [];
    const worker = await startWorker({
      port: 0,
      host: "127.0.0.1",
      bus: createMemoryBus(),
      db: { ping: async () => {} },
      jobs: { start: async () => void calls.push("start"), stop: async () => void calls.push("stop") },
    });
    expect(calls).toEqual(["start"]);
    await worker.close();
    expect(calls).toEqual(["start", "stop"]);
  });
});

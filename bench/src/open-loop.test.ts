import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPool, runClosedLoop, runOpenLoop, type Endpoint } from "./open-loop";

let server: Server;
let ep: Endpoint;

beforeAll(async () => {
  // Answers after `x-delay` ms; 500 for `x-fail`.
  server = createServer((req, res) => {
    req.resume();
    const delay = Number(req.headers["x-delay"] ?? 0);
    setTimeout(() => {
      res.writeHead(req.headers["x-fail"] ? 500 : 200, { "content-type": "text/plain" });
      res.end("ok");
    }, delay);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  ep = { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, path: "/", headers: {}, body: "{}" };
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

const options = { rate: 200, durationMs: 200, warmupMs: 50, maxInFlight: 100, drainMs: 2000, stream: false };

describe("runOpenLoop", () => {
  it("sends rate x duration measured requests after the warm-up and times them from their due time", async () => {
    const pool = createPool(ep.origin);
    const r = await runOpenLoop(pool, { ...ep, headers: { "x-delay": "20" } }, options);
    await pool.close();
    expect(r.scheduled).toBe(40);
    expect(r.fired).toBe(50);
    expect(r.ok).toBe(40);
    expect(Math.min(...r.latencyMs)).toBeGreaterThanOrEqual(19);
    for (const [i, l] of r.latencyMs.entries()) expect(l).toBeGreaterThanOrEqual(r.serviceMs[i]! - 0.001);
  });

  it("drops arrivals beyond the in-flight bound instead of queueing them", async () => {
    const pool = createPool(ep.origin);
    const r = await runOpenLoop(pool, { ...ep, headers: { "x-delay": "1500" } }, { ...options, warmupMs: 0, maxInFlight: 5 });
    await pool.close();
    expect(r.dropped).toBe(35);
    expect(r.ok).toBe(5);
  });

  it("counts error answers and aborts stragglers at the drain deadline", async () => {
    const pool = createPool(ep.origin);
    const failing = await runOpenLoop(pool, { ...ep, headers: { "x-fail": "1" } }, { ...options, warmupMs: 0 });
    expect(failing.errors).toBe(40);
    expect(failing.firstError).toMatch(/^status 500/);
    const slow = await runOpenLoop(pool, { ...ep, headers: { "x-delay": "3000" } }, { ...options, warmupMs: 0, durationMs: 50, drainMs: 100 });
    await pool.close();
    expect(slow.ok).toBe(0);
    expect(slow.errors).toBe(10);
  });
});

describe("runClosedLoop", () => {
  it("keeps N callers busy for the duration", async () => {
    const pool = createPool(ep.origin);
    const r = await runClosedLoop(pool, { ...ep, headers: { "x-delay": "10" } }, 4, 200);
    await pool.close();
    expect(r.errors).toBe(0);
    // 4 callers, ~10 ms each, 200 ms: about 80 requests; bounded well below on a busy machine.
    expect(r.requests).toBeGreaterThan(10);
    expect(r.requests).toBeLessThanOrEqual(4 * 21);
  });
});

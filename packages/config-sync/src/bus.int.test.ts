import { afterEach, describe, expect, it } from "vitest";
import type { Bus } from "./bus";
import { createMemoryBus } from "./memory-bus";
import { createRedisBus } from "./redis-bus";

const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

// The same behaviour is required of both implementations.
describe.each([
  ["memory", () => createMemoryBus()],
  ["redis", () => createRedisBus(redisUrl)],
])("%s bus", (_name, make) => {
  let bus: Bus;
  afterEach(async () => bus?.close());

  it("delivers published messages to every subscriber until unsubscribed", async () => {
    bus = make();
    const channel = `test:${Math.random()}`;
    const a: string[] = [];
    const b: string[] = [];
    const unsubA = await bus.subscribe(channel, (m) => a.push(m));
    await bus.subscribe(channel, (m) => b.push(m));
    await bus.publish(channel, "one");
    await expect.poll(() => b.length).toBe(1);
    await unsubA();
    await bus.publish(channel, "two");
    await expect.poll(() => b).toEqual(["one", "two"]);
    expect(a).toEqual(["one"]);
  });

  it("stores binary values, lists by prefix and expires with a TTL", async () => {
    bus = make();
    const prefix = `test:${Math.random()}:`;
    await bus.set(`${prefix}a`, Buffer.from([0, 255, 1]));
    await bus.set(`${prefix}b`, "x", 1);
    expect([...(await bus.get(`${prefix}a`))!]).toEqual([0, 255, 1]);
    expect((await bus.keys(prefix)).sort()).toEqual([`${prefix}a`, `${prefix}b`]);
    await expect.poll(() => bus.get(`${prefix}b`), { timeout: 3000, interval: 200 }).toBeNull();
    await bus.ping();
  });
});

describe("redis bus with Redis unreachable", () => {
  it("fails commands within the command timeout instead of hanging or crashing", async () => {
    const bus = createRedisBus("redis://127.0.0.1:1");
    const started = Date.now();
    await expect(bus.ping()).rejects.toThrow();
    await expect(bus.get("k")).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(10_000);
    await bus.close();
  });
});

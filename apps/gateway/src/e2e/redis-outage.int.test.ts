import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateVirtualKey } from "@portcullis/core";
import { privateRedis, startOpenAiSimulator, type PrivateRedis, type SimulatorHandle } from "@portcullis/testkit";
import { buildSnapshot } from "../testing/harness";
import { startReplica, type Replica } from "./replicas";

/** Redis unreachable: per deployment, fail closed (503) or open (local counters); visible in /readyz. */
let sim: SimulatorHandle;
let redis: PrivateRedis;
const replicas: Replica[] = [];
const key = generateVirtualKey();

beforeAll(async () => {
  sim = await startOpenAiSimulator({ apiKey: "sk-sim" });
  redis = await privateRedis();
  await redis.start();
});
afterAll(async () => {
  await Promise.all(replicas.map((r) => r.stop()));
  await redis.stop();
  await sim?.close();
});

const snapshot = () => {
  const s = buildSnapshot([{ name: "oai", type: "openai", baseUrl: `${sim.url}/v1`, credential: "env://SIM_KEY", models: ["gpt-4o-mini"] }], [{ plaintext: key }]);
  s.rateLimits["virtual_key:vk_0"] = [{ id: "rl_outage", level: "virtual_key", scopeId: "vk_0", label: "k", rpm: 1000, tpm: null, windowSeconds: 60 }];
  return s;
};

const call = (r: Replica) =>
  fetch(`${r.url}/v1/chat/completions`, {
    method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "oai/gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }),
  });

const counterState = async (r: Replica) =>
  ((await (await fetch(`${r.url}/readyz`)).json()) as { mode: string; dependencies: Array<{ name: string; state: string; detail?: string }> });

describe("Redis outage", () => {
  it("fail closed: 503 naming the cause while Redis is down, back to 200 when it returns", async () => {
    const r = await startReplica(snapshot(), { REDIS_URL: redis.url, SIM_KEY: "sk-sim", COUNTERS_FAILURE_MODE: "closed", COUNTERS_TIMEOUT_MS: "300" });
    replicas.push(r);
    expect((await call(r)).status).toBe(200);
    await redis.stop();
    const down = await call(r);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ error: { code: "counters_unavailable" } });
    await expect.poll(async () => (await counterState(r)).dependencies.find((d) => d.name === "counters")?.state, { timeout: 10_000 }).toBe("down");
    await redis.start();
    await expect.poll(async () => (await call(r)).status, { timeout: 15_000, interval: 300 }).toBe(200);
    expect(r.stderr.join("")).toMatch(/counters unavailable/);
  }, 60_000);

  it("fail open: served on local counters while Redis is down, degraded in /readyz", async () => {
    const r = await startReplica(snapshot(), { REDIS_URL: redis.url, SIM_KEY: "sk-sim", COUNTERS_FAILURE_MODE: "open", COUNTERS_TIMEOUT_MS: "300" });
    replicas.push(r);
    expect((await call(r)).status).toBe(200);
    await redis.stop();
    expect((await call(r)).status).toBe(200);
    await expect.poll(async () => (await counterState(r)).mode, { timeout: 10_000 }).toBe("degraded");
    expect((await counterState(r)).dependencies.find((d) => d.name === "counters")?.detail).toContain("fail open");
    await redis.start();
    await expect.poll(async () => (await counterState(r)).dependencies.find((d) => d.name === "counters")?.state, { timeout: 15_000, interval: 300 }).toBe("up");
  }, 60_000);
});

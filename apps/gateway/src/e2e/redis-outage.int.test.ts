import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateVirtualKey } from "@portcullis/core";
import { startOpenAiSimulator, type SimulatorHandle } from "@portcullis/testkit";
import { buildSnapshot } from "../testing/harness";
import { freePort, startReplica, type Replica } from "./replicas";

/** Redis unreachable: per deployment, fail closed (503) or open (local counters); visible in /readyz. */
let sim: SimulatorHandle;
let redisPort: number;
let redis: ChildProcess | undefined;
const replicas: Replica[] = [];
const key = generateVirtualKey();

async function startRedis(): Promise<void> {
  redis = spawn("redis-server", ["--port", String(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  for (let i = 0; i < 50; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const p = spawn("redis-cli", ["-p", String(redisPort), "ping"], { stdio: "ignore" });
      p.on("exit", (code) => resolve(code === 0));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("private redis-server did not start");
}

async function stopRedis(): Promise<void> {
  const r = redis;
  redis = undefined;
  if (!r || r.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    r.once("exit", () => resolve());
    r.kill("SIGKILL");
  });
}

beforeAll(async () => {
  sim = await startOpenAiSimulator({ apiKey: "sk-sim" });
  redisPort = await freePort();
  await startRedis();
});
afterAll(async () => {
  await Promise.all(replicas.map((r) => r.stop()));
  await stopRedis();
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
    const r = await startReplica(snapshot(), { REDIS_URL: `redis://127.0.0.1:${redisPort}`, SIM_KEY: "sk-sim", COUNTERS_FAILURE_MODE: "closed", COUNTERS_TIMEOUT_MS: "300" });
    replicas.push(r);
    expect((await call(r)).status).toBe(200);
    await stopRedis();
    const down = await call(r);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ error: { code: "counters_unavailable" } });
    await expect.poll(async () => (await counterState(r)).dependencies.find((d) => d.name === "counters")?.state, { timeout: 10_000 }).toBe("down");
    await startRedis();
    await expect.poll(async () => (await call(r)).status, { timeout: 15_000, interval: 300 }).toBe(200);
    expect(r.stderr.join("")).toMatch(/counters unavailable/);
  }, 60_000);

  it("fail open: served on local counters while Redis is down, degraded in /readyz", async () => {
    const r = await startReplica(snapshot(), { REDIS_URL: `redis://127.0.0.1:${redisPort}`, SIM_KEY: "sk-sim", COUNTERS_FAILURE_MODE: "open", COUNTERS_TIMEOUT_MS: "300" });
    replicas.push(r);
    expect((await call(r)).status).toBe(200);
    await stopRedis();
    expect((await call(r)).status).toBe(200);
    await expect.poll(async () => (await counterState(r)).mode, { timeout: 10_000 }).toBe("degraded");
    expect((await counterState(r)).dependencies.find((d) => d.name === "counters")?.detail).toContain("fail open");
    await startRedis();
    await expect.poll(async () => (await counterState(r)).dependencies.find((d) => d.name === "counters")?.state, { timeout: 15_000, interval: 300 }).toBe("up");
  }, 60_000);
});

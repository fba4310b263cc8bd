import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateVirtualKey } from "@portcullis/core";
import { createPrisma, type PrismaClient } from "@portcullis/db";
import { freePort, privateRedis, startOpenAiSimulator, type PrivateRedis, type SimulatorHandle } from "@portcullis/testkit";
import { buildSnapshot } from "../testing/harness";
import { startReplica, type Replica } from "./replicas";

/**
 * Bodies end to end: a standalone gateway process (env settings) -> Redis stream -> a standalone
 * worker process -> PostgreSQL. A private redis-server keeps the shared one's `pc:events` out.
 */
const workerEntry = fileURLToPath(new URL("../../../worker/src/server.ts", import.meta.url));
const databaseUrl = process.env.DATABASE_URL ?? "";
let sim: SimulatorHandle;
let prisma: PrismaClient;
let redis: PrivateRedis;
let worker: ChildProcess;
let redisUrl: string;
const replicas: Replica[] = [];
const key = generateVirtualKey();
const openaiKey = ["sk-", "proj-", "Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z"].join("");
const pem = ["-----BEGIN ", "PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END ", "PRIVATE KEY-----"].join("");

async function waitFor(check: () => Promise<boolean>, what: string, ms = 30_000) {
  const end = Date.now() + ms;
  while (!(await check().catch(() => false))) {
    if (Date.now() > end) throw new Error(`${what} did not happen within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  expect(databaseUrl).toMatch(/^postgresql:/);
  prisma = createPrisma(databaseUrl, { max: 2 });
  sim = await startOpenAiSimulator({ apiKey: "sk-sim" });
  redis = await privateRedis();
  await redis.start();
  redisUrl = redis.url;
  const workerPort = await freePort();
  worker = spawn(process.execPath, ["--import", "tsx", workerEntry], {
    env: { PATH: process.env.PATH, DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, WORKER_PORT: String(workerPort), WORKER_HOST: "127.0.0.1" },
    stdio: "ignore",
  });
  await waitFor(async () => (await fetch(`http://127.0.0.1:${workerPort}/readyz`)).ok, "worker ready");
}, 60_000);

afterAll(async () => {
  await Promise.all(replicas.map((r) => r.stop()));
  if (worker && worker.exitCode === null) {
    await new Promise<void>((resolve) => {
      worker.once("exit", () => resolve());
      worker.kill("SIGTERM");
    });
  }
  await redis?.stop();
  await sim?.close();
  await prisma?.$disconnect();
});

const snapshot = () => buildSnapshot([{ name: "oai", type: "openai", baseUrl: `${sim.url}/v1`, credential: "env://SIM_KEY", models: ["gpt-4o-mini"] }], [{ plaintext: key }]);

async function gateway(env: Record<string, string>): Promise<Replica> {
  const r = await startReplica(snapshot(), { REDIS_URL: redisUrl, EVENTS_SINK: "redis", SIM_KEY: "sk-sim", ...env });
  replicas.push(r);
  return r;
}

async function stored(r: Replica, body: Record<string, unknown>) {
  const res = await fetch(`${r.url}/v1/chat/completions`, {
    method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  await res.text();
  const id = res.headers.get("x-request-id")!;
  await waitFor(async () => (await prisma.requestLog.count({ where: { id } })) === 1, `request log ${id} stored`);
  return prisma.requestLog.findUniqueOrThrow({ where: { id } });
}

describe("request bodies through the worker into PostgreSQL", () => {
  it("off by default: both columns NULL", async () => {
    const r = await gateway({});
    for (const stream of [false, true]) {
      const row = await stored(r, { model: "oai/gpt-4o-mini", stream, messages: [{ role: "user", content: `secret ${openaiKey}` }] });
      expect(row.requestBody).toBeNull();
      expect(row.responseBody).toBeNull();
    }
  }, 60_000);

  it("on: stored redacted, streams assembled, over-long bodies capped", async () => {
    const r = await gateway({ REQUEST_BODY_LOGGING: "on", REQUEST_BODY_MAX_BYTES: "2048" });
    const plain = await stored(r, { model: "oai/gpt-4o-mini", messages: [{ role: "user", content: `use ${openaiKey} and ${key}\n${pem}` }] });
    expect(plain.requestBody).toEqual({
      model: "oai/gpt-4o-mini",
      messages: [{ role: "user", content: "use [REDACTED:openai_key] and [REDACTED:portcullis_key]\n[REDACTED:private_key]" }],
    });
    expect(plain.responseBody).toMatchObject({ object: "chat.completion", choices: [{ message: { content: expect.stringContaining("Echo: use [REDACTED:openai_key]") } }] });

    const streamed = await stored(r, { model: "oai/gpt-4o-mini", stream: true, messages: [{ role: "user", content: `one ${openaiKey}` }] });
    expect(streamed.responseBody).toMatchObject({ object: "chat.completion.stream", choices: [{ message: { content: "Echo: one [REDACTED:openai_key]" }, finish_reason: "stop" }] });

    const long = await stored(r, { model: "oai/gpt-4o-mini", messages: [{ role: "user", content: `${"lorem ipsum ".repeat(1000)} ${openaiKey}` }] });
    for (const body of [long.requestBody, long.responseBody]) {
      expect(body).toMatchObject({ truncated: true, text: expect.stringMatching(/…\[TRUNCATED\]$/) });
      expect(new TextEncoder().encode(JSON.stringify(body)).length).toBeLessThanOrEqual(2048);
    }
    for (const row of [plain, streamed, long]) {
      const text = JSON.stringify([row.requestBody, row.responseBody]);
      for (const secret of [openaiKey, key, "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"]) expect(text).not.toContain(secret);
    }
  }, 60_000);
});

import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chatModels, startSimFleet, type SimFleet } from "./fleet";

/**
 * Throws random and malformed bodies, headers and encodings at every endpoint and
 * asserts that nothing answers 5xx and the process keeps serving. Seeded, so a
 * failure reproduces; FUZZ_CASES raises the count.
 */
let fleet: SimFleet;
beforeAll(async () => {
  fleet = await startSimFleet();
});
afterAll(async () => fleet?.close());

function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const endpoints = ["/v1/chat/completions", "/v1/embeddings", "/v1/responses", "/v1/messages", "/v1/messages/count_tokens", "/v1/models"];

function value(r: () => number, depth = 0): unknown {
  const pick = Math.floor(r() * (depth > 3 ? 6 : 9));
  switch (pick) {
    case 0: return null;
    case 1: return r() < 0.5;
    case 2: return Math.floor(r() * 2 ** 31) * (r() < 0.5 ? -1 : 1);
    case 3: return r() * 1e308;
    case 4: return "x".repeat(Math.floor(r() * 50));
    case 5: return String.fromCharCode(...Array.from({ length: 8 }, () => Math.floor(r() * 0xffff)));
    case 6: return Array.from({ length: Math.floor(r() * 4) }, () => value(r, depth + 1));
    default: return Object.fromEntries(Array.from({ length: Math.floor(r() * 4) }, (_, i) => [["model", "messages", "content", "role", "stream", "input", "max_tokens", "tools", `k${i}`][Math.floor(r() * 9)]!, value(r, depth + 1)]));
  }
}

/** Structurally plausible requests with one field broken: these reach the schema checks. */
function nearValid(r: () => number): unknown {
  const base: Record<string, unknown> = {
    model: [chatModels.openai, chatModels.anthropic, "nope/nope", "", 7][Math.floor(r() * 5)],
    messages: [{ role: "user", content: "hi" }],
    max_tokens: 16,
    input: "hello",
  };
  const field = ["model", "messages", "max_tokens", "stream", "tools", "temperature", "input", "system", "tool_choice", "response_format"][Math.floor(r() * 10)]!;
  base[field] = value(r);
  if (r() < 0.3) base.messages = [{ role: ["user", "assistant", "tool", "system", "bogus"][Math.floor(r() * 5)], content: value(r) }];
  return base;
}

function body(r: () => number): Buffer {
  const kind = Math.floor(r() * 8);
  switch (kind) {
    case 0: return Buffer.from(Array.from({ length: Math.floor(r() * 200) }, () => Math.floor(r() * 256)));
    case 1: return Buffer.concat([Buffer.from('{"model":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')]);
    case 2: return Buffer.from("[".repeat(2000) + "]".repeat(2000));
    case 3: return Buffer.from(JSON.stringify(value(r)));
    case 4: return Buffer.from(JSON.stringify(nearValid(r)).slice(0, Math.floor(r() * 60)));
    case 5: return Buffer.alloc(0);
    default: return Buffer.from(JSON.stringify(nearValid(r)));
  }
}

function headers(r: () => number, key: string, length: number): Record<string, string> {
  const h: Record<string, string> = { "content-length": String(length) };
  const auth = Math.floor(r() * 6);
  if (auth === 0) h.authorization = `Bearer ${key}`;
  else if (auth === 1) h["x-api-key"] = key;
  else if (auth === 2) h["api-key"] = key;
  else if (auth === 3) h.authorization = `Bearer pck_${"x".repeat(Math.floor(r() * 60))}`;
  else if (auth === 4) h.authorization = "Basic Zm9vOmJhcg==";
  else h.authorization = `Bearer ${key}`;
  const ct = Math.floor(r() * 5);
  if (ct === 0) h["content-type"] = "application/json";
  else if (ct === 1) h["content-type"] = "text/plain";
  else if (ct === 2) h["content-type"] = "application/json; charset=latin1";
  else if (ct === 3) h["content-type"] = "multipart/form-data; boundary=x";
  if (r() < 0.1) h["x-request-id"] = "\u00ff".repeat(200);
  if (r() < 0.05) h["x-padding"] = "a".repeat(20_000);
  if (r() < 0.1) h["anthropic-version"] = String(value(r)).slice(0, 40).replace(/[^\x20-\x7e]/g, "?");
  return h;
}

function send(url: string, method: string, path: string, h: Record<string, string>, b: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = request({ host: u.hostname, port: u.port, method, path, headers: h }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end(b);
  });
}

describe("fuzz", () => {
  it("answers every malformed request with a 4xx (never 5xx) and keeps serving", async () => {
    const cases = Number(process.env.FUZZ_CASES ?? 1500);
    const r = prng(Number(process.env.FUZZ_SEED ?? 20261129));
    const statuses = new Map<number, number>();
    const fivexx: string[] = [];
    for (let i = 0; i < cases; i++) {
      const path = endpoints[Math.floor(r() * endpoints.length)]!;
      const method = r() < 0.9 ? (path === "/v1/models" ? "GET" : "POST") : ["PUT", "DELETE", "PATCH", "GET"][Math.floor(r() * 4)]!;
      const b = method === "GET" ? Buffer.alloc(0) : body(r);
      const h = headers(r, fleet.key, b.length);
      const status = await send(fleet.gateway.url, method, path, h, b);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (status >= 500) fivexx.push(`#${i} ${method} ${path} -> ${status}: ${b.subarray(0, 120).toString("utf8")}`);
    }
    expect(fivexx).toEqual([]);
    // The run exercised rejections of every kind, and some requests got through.
    expect([...statuses.keys()].filter((s) => s >= 400 && s < 500).length).toBeGreaterThanOrEqual(5);
    expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
    const health = await fetch(`${fleet.gateway.url}/healthz`);
    expect(health.status).toBe(200);
  }, 120_000);

  it("rejects an oversized body with 413 in the caller's shape", async () => {
    const big = Buffer.alloc(2 * 1024 * 1024, 0x20);
    const status = await send(fleet.gateway.url, "POST", "/v1/chat/completions", { authorization: `Bearer ${fleet.key}`, "content-type": "application/json", "content-length": String(big.length) }, big);
    expect(status).toBe(413);
  });

  it("names invalid UTF-8 and malformed JSON", async () => {
    const post = (b: Buffer | string) => fetch(`${fleet.gateway.url}/v1/chat/completions`, { method: "POST", headers: { authorization: `Bearer ${fleet.key}`, "content-type": "application/json" }, body: b });
    const bad = await post(Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d]));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { message: "request body is not valid UTF-8" } });
    const broken = await post('{"model": "x",');
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as { error: { code: string } }).error.code).toBe("invalid_json");
  });
});

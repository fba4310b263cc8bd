import { request } from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { chatModels, startSimFleet, type SimFleet } from "./fleet";

// The body and the client's disconnect are read from Node's request and response, not a
// web Request: these cases pin that down over a real socket.
let fleet: SimFleet;

beforeAll(async () => {
  fleet = await startSimFleet();
});
afterEach(() => {
  for (const s of Object.values(fleet.sims)) s.setFaults(undefined);
});
afterAll(async () => fleet?.close());

/** POSTs the body in parts (chunked, no content-length), a few ms apart. */
function postInParts(parts: Buffer[], gapMs = 5): Promise<{ status: number; body: string }> {
  const url = new URL(`${fleet.gateway.url}/v1/chat/completions`);
  return new Promise((resolve, reject) => {
    const req = request({
      host: url.hostname, port: url.port, path: url.pathname, method: "POST",
      headers: { authorization: `Bearer ${fleet.key}`, "content-type": "application/json", "transfer-encoding": "chunked" },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    let i = 0;
    const next = () => {
      if (i === parts.length) return void req.end();
      const ok = req.write(parts[i++]!);
      if (ok) setTimeout(next, gapMs);
      else req.once("drain", () => setTimeout(next, gapMs));
    };
    next();
  });
}

describe("request body and client disconnects over a real socket", () => {
  it("reads a body sent in several chunks", async () => {
    const json = JSON.stringify({ model: chatModels.openai, max_tokens: 8, messages: [{ role: "user", content: "hello in parts" }] });
    const parts = [json.slice(0, 10), json.slice(10, 40), json.slice(40)].map((s) => Buffer.from(s));
    const res = await postInParts(parts);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ object: "chat.completion" });
  });

  it("answers 413 to a chunked body over the limit (no content-length to refuse it early)", async () => {
    const part = Buffer.alloc(256 * 1024, 0x20);
    const res = await postInParts([Buffer.from("{"), part, part, part, part, part, Buffer.from("}")], 1);
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: "payload_too_large", message: `request body exceeds ${1024 * 1024} bytes` } });
    // The connection was not left in a bad state: the gateway keeps serving.
    expect((await fetch(`${fleet.gateway.url}/healthz`)).status).toBe(200);
  });

  it("every response carries the request id (the caller's when well-formed) and its content type", async () => {
    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${fleet.gateway.url}${path}`, { method: "POST", headers: { authorization: `Bearer ${fleet.key}`, "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
    const chat = { model: chatModels.openai, max_tokens: 8, messages: [{ role: "user", content: "hi" }] };
    const json = await post("/v1/chat/completions", chat, { "x-request-id": "caller-id-1" });
    expect(json.headers.get("x-request-id")).toBe("caller-id-1");
    expect(json.headers.get("content-type")).toBe("application/json");
    expect(json.headers.get("x-portcullis-provider")).toBe("oai");
    await json.text();
    const stream = await post("/v1/chat/completions", { ...chat, stream: true });
    expect(stream.headers.get("x-request-id")).toMatch(/^req_/);
    expect(stream.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(await stream.text()).toContain("data: [DONE]");
    const native = await post("/v1/messages", { model: chatModels.anthropic, max_tokens: 8, messages: [{ role: "user", content: "hi" }] });
    expect(native.status).toBe(200);
    expect(native.headers.get("x-request-id")).toMatch(/^req_/);
    expect(native.headers.get("content-type")).toMatch(/^application\/json/);
    await native.text();
    const denied = await post("/v1/chat/completions", chat, { authorization: "Bearer nope" });
    expect(denied.status).toBe(401);
    const deniedBody = (await denied.json()) as { error: { request_id: string } };
    expect(denied.headers.get("x-request-id")).toBe(deniedBody.error.request_id);
    const models = await fetch(`${fleet.gateway.url}/v1/models`, { headers: { authorization: `Bearer ${fleet.key}`, "x-request-id": "caller-id-2" } });
    expect(models.headers.get("x-request-id")).toBe("caller-id-2");
    expect(models.headers.get("content-type")).toMatch(/^application\/json/);
  });

  it("a client that goes away while the upstream is still thinking cancels the upstream request", async () => {
    fleet.sims.openai.setFaults({ latencyMs: 3_000 });
    const before = fleet.sims.openai.requests.length;
    const ac = new AbortController();
    const pending = fetch(`${fleet.gateway.url}/v1/chat/completions`, {
      method: "POST", signal: ac.signal, headers: { authorization: `Bearer ${fleet.key}`, "content-type": "application/json" },
      body: JSON.stringify({ model: chatModels.openai, messages: [{ role: "user", content: "slow one" }] }),
    });
    await expect.poll(() => fleet.sims.openai.requests.length, { timeout: 5000 }).toBe(before + 1);
    ac.abort();
    await expect(pending).rejects.toThrow();
    // Well before the simulated 3 s latency is over.
    await expect.poll(() => fleet.sims.openai.requests.at(-1)!.clientClosedEarly, { timeout: 1500 }).toBe(true);
  });
});

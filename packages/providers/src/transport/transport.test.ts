import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { PortcullisError } from "@portcullis/core";
import { startOpenAiSimulator } from "@portcullis/testkit/openai";
import type { SimulatorHandle } from "@portcullis/testkit/shared";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { UpstreamRequest } from "../types";
import { createTransport, readBody } from "./transport";

const dec = new TextDecoder();
const transport = createTransport();
let sim: SimulatorHandle;

beforeAll(async () => {
  sim = await startOpenAiSimulator({ apiKey: "sk-sim" });
});
afterAll(async () => {
  await sim.close();
  await transport.close();
});

function chatRequest(extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): UpstreamRequest {
  return {
    method: "POST",
    url: `${sim.url}/v1/chat/completions`,
    headers: { "content-type": "application/json", authorization: "Bearer sk-sim", ...headers },
    body: JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "one two three" }], ...extra }),
    stream: extra["stream"] === true,
  };
}

/** A server the test drives by hand: it writes what the test tells it to, when it says. */
async function manualServer(): Promise<{ url: string; server: Server; next: () => Promise<ServerResponse>; connections: () => number; close: () => Promise<void> }> {
  const waiting: Array<(res: ServerResponse) => void> = [];
  const queued: ServerResponse[] = [];
  let connections = 0;
  const server = createServer((req, res) => {
    req.resume();
    const w = waiting.shift();
    if (w) w(res);
    else queued.push(res);
  });
  server.on("connection", () => connections++);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    next: () => {
      const q = queued.shift();
      return q ? Promise.resolve(q) : new Promise((r) => waiting.push(r));
    },
    connections: () => connections,
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

const servers: Array<{ close: () => Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe("sendUpstream", () => {
  it("returns status, headers and the JSON body", async () => {
    const res = await transport.sendUpstream(chatRequest());
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    const body = JSON.parse(dec.decode(await readBody(res.body))) as { choices: Array<{ message: { content: string } }> };
    expect(body.choices[0]?.message.content).toBe("Echo: one two three");
  });

  it("hands back upstream error statuses without throwing", async () => {
    const res = await transport.sendUpstream(chatRequest({}, { "x-sim-fault": "status=429,retry-after=3" }));
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("3");
    expect(JSON.parse(dec.decode(await readBody(res.body)))).toMatchObject({ error: { type: "rate_limit_exceeded" } });
  });

  it("streams without buffering: the first bytes arrive before the upstream writes the rest", async () => {
    const s = await manualServer();
    servers.push(s);
    const pending = transport.sendUpstream({ method: "POST", url: s.url, headers: {}, body: "{}", stream: true });
    const res = await s.next();
    res.writeHead(200, { "content-type": "text/event-stream" });
    res.write("data: first\n\n");
    const up = await pending;
    const it = up.body[Symbol.asyncIterator]();
    const first = await it.next();
    expect(dec.decode(first.value)).toBe("data: first\n\n");
    res.end("data: [DONE]\n\n");
    const rest: string[] = [];
    for (let r = await it.next(); !r.done; r = await it.next()) rest.push(dec.decode(r.value));
    expect(rest.join("")).toBe("data: [DONE]\n\n");
  });

  it("propagates an abort to the upstream connection", async () => {
    const s = await manualServer();
    servers.push(s);
    const ac = new AbortController();
    const pending = transport.sendUpstream({ method: "POST", url: s.url, headers: {}, body: "{}", stream: true }, { signal: ac.signal });
    const res = await s.next();
    const closed = new Promise<void>((r) => res.on("close", () => r()));
    res.writeHead(200, { "content-type": "text/event-stream" });
    res.write("data: 1\n\n");
    const up = await pending;
    const it = up.body[Symbol.asyncIterator]();
    await it.next();
    const reason = new Error("client went away");
    ac.abort(reason);
    await expect(it.next()).rejects.toBe(reason);
    await closed;
  });

  it("rejects with the abort reason when aborted before headers", async () => {
    const ac = new AbortController();
    const pending = transport.sendUpstream(chatRequest({}, { "x-sim-fault": "timeout" }), { signal: ac.signal });
    const reason = new Error("stop");
    setTimeout(() => ac.abort(reason), 20);
    await expect(pending).rejects.toBe(reason);
  });

  it("maps a silent upstream to upstream_timeout", async () => {
    const err = await transport.sendUpstream(chatRequest({}, { "x-sim-fault": "timeout" }), { timeoutMs: 150 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PortcullisError);
    expect((err as PortcullisError).code).toBe("upstream_timeout");
  });

  it("maps a body that stalls past the idle timeout to upstream_timeout", async () => {
    const s = await manualServer();
    servers.push(s);
    const pending = transport.sendUpstream({ method: "POST", url: s.url, headers: {}, body: "{}", stream: true }, { timeoutMs: 5_000, idleTimeoutMs: 150 });
    const res = await s.next();
    res.writeHead(200);
    res.write("x");
    const up = await pending;
    const err = await readBody(up.body).catch((e: unknown) => e);
    expect((err as PortcullisError).code).toBe("upstream_timeout");
  });

  it("maps a refused connection to upstream_unavailable", async () => {
    const s = await manualServer();
    const url = s.url;
    await s.close();
    const err = await transport.sendUpstream({ method: "GET", url, headers: {}, body: "", stream: false }).catch((e: unknown) => e);
    expect((err as PortcullisError).code).toBe("upstream_unavailable");
    expect((err as PortcullisError).message).toContain("ECONNREFUSED");
  });

  it("maps a connection dropped mid-stream to stream_incomplete after the bytes that arrived", async () => {
    const res = await transport.sendUpstream(chatRequest({ stream: true }, { "x-sim-fault": "disconnect=2" }));
    const got: string[] = [];
    const err = await (async () => {
      for await (const c of res.body) got.push(dec.decode(c));
    })().catch((e: unknown) => e);
    expect((err as PortcullisError).code).toBe("stream_incomplete");
    expect(got.join("").split("\n\n").filter(Boolean)).toHaveLength(2);
  });

  it("reuses one keep-alive connection for sequential requests", async () => {
    const s = await manualServer();
    servers.push(s);
    // One connection slot: a second socket would mean the first was not kept alive.
    const t = createTransport({ connectionsPerOrigin: 1 });
    for (let i = 0; i < 3; i++) {
      const pending = t.sendUpstream({ method: "POST", url: s.url, headers: {}, body: "{}", stream: false });
      (await s.next()).end("ok");
      expect(dec.decode(await readBody((await pending).body))).toBe("ok");
    }
    expect(s.connections()).toBe(1);
    await t.close();
  });

  it("refuses a body larger than the limit", async () => {
    const res = await transport.sendUpstream(chatRequest());
    await expect(readBody(res.body, 10)).rejects.toThrow(/exceeds 10 bytes/);
  });
});

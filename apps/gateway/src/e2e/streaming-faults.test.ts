import OpenAI from "openai";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { chatModels, startSimFleet, type SimFleet } from "./fleet";

let fleet: SimFleet;

beforeAll(async () => {
  fleet = await startSimFleet();
});
afterEach(() => {
  for (const s of Object.values(fleet.sims)) s.setFaults(undefined);
});
afterAll(async () => fleet?.close());

async function rawStream(model: string, body: Record<string, unknown> = {}, path = "/v1/chat/completions") {
  const res = await fetch(`${fleet.gateway.url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${fleet.key}`, "content-type": "application/json" },
    body: JSON.stringify({ model, stream: true, max_tokens: 64, messages: [{ role: "user", content: "Tell me a long story about gates" }], ...body }),
  });
  return { res, text: await res.text() };
}

const lastLog = (model: string) => fleet.gateway.sink.requests.filter((r) => r.modelRequested === model).at(-1)!;

describe("broken upstream streams are reported, never passed off as success", () => {
  const cases: Array<[keyof typeof fleet.sims, string]> = [
    ["openai", chatModels.openai], ["anthropic", chatModels.anthropic], ["bedrock", chatModels.bedrock], ["gemini", chatModels.gemini],
  ];
  it.each(cases)("%s: disconnect mid-stream -> error event, no [DONE], outcome incomplete, partial usage billed", async (sim, model) => {
    fleet.sims[sim].setFaults({ disconnectAfterChunks: 6 });
    const { res, text } = await rawStream(model);
    expect(res.status).toBe(200);
    expect(text).not.toContain("data: [DONE]");
    const events = text.trim().split("\n\n");
    const last = JSON.parse(events.at(-1)!.replace(/^data: /, "")) as { error?: { code: string } };
    expect(last.error?.code).toMatch(/stream_incomplete|upstream_error/);
    const log = lastLog(model);
    expect(log.outcome).toBe("incomplete");
    expect(log.stream).toBe(true);
  });

  it.each(cases)("%s: stream ends without its terminal event -> incomplete", async (sim, model) => {
    fleet.sims[sim].setFaults({ noTerminal: true });
    const { text } = await rawStream(model);
    expect(text).not.toContain("data: [DONE]");
    expect(text).toContain('"code":"stream_incomplete"');
    expect(lastLog(model).outcome).toBe("incomplete");
  });

  it("a malformed chunk ends the stream with an error event", async () => {
    fleet.sims.openai.setFaults({ malformedChunkAt: 2 });
    const { text } = await rawStream(chatModels.openai);
    expect(text).not.toContain("data: [DONE]");
    expect(lastLog(chatModels.openai).outcome).toBe("incomplete");
  });

  it("the Anthropic surface reports a broken translated stream as an `error` event", async () => {
    fleet.sims.gemini.setFaults({ disconnectAfterChunks: 2 });
    const { text } = await rawStream(chatModels.gemini, { messages: [{ role: "user", content: "Tell me a story" }] }, "/v1/messages");
    expect(text).toContain("event: error");
    expect(text).not.toContain("event: message_stop");
  });

  it("the openai SDK sees the error event as an error, not a clean finish", async () => {
    fleet.sims.openai.setFaults({ disconnectAfterChunks: 2 });
    const client = new OpenAI({ apiKey: fleet.key, baseURL: `${fleet.gateway.url}/v1`, maxRetries: 0 });
    const consume = async () => {
      const s = await client.chat.completions.create({ model: chatModels.openai, stream: true, messages: [{ role: "user", content: "Tell me a story" }] });
      for await (const _chunk of s) void _chunk;
    };
    await expect(consume()).rejects.toThrow();
  });
});

describe("streaming mechanics", () => {
  it("passes chunks through as they arrive (first byte before the upstream finishes)", async () => {
    fleet.sims.openai.setFaults({ chunkDelayMs: 150 });
    const started = performance.now();
    const res = await fetch(`${fleet.gateway.url}/v1/chat/completions`, {
      method: "POST", headers: { authorization: `Bearer ${fleet.key}`, "content-type": "application/json" },
      body: JSON.stringify({ model: chatModels.openai, stream: true, messages: [{ role: "user", content: "one two three four five six seven eight" }] }),
    });
    const reader = res.body!.getReader();
    await reader.read();
    const firstByte = performance.now() - started;
    let rest = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      rest += value.byteLength;
    }
    const total = performance.now() - started;
    expect(rest).toBeGreaterThan(0);
    // Not a timing assertion on speed: chunks spaced 150 ms apart cannot all arrive at the first read unless buffered.
    expect(total - firstByte).toBeGreaterThan(300);
  });

  it("a client disconnect cancels the upstream request", async () => {
    fleet.sims.openai.setFaults({ chunkDelayMs: 100 });
    const before = fleet.sims.openai.requests.length;
    const ac = new AbortController();
    const res = await fetch(`${fleet.gateway.url}/v1/chat/completions`, {
      method: "POST", signal: ac.signal, headers: { authorization: `Bearer ${fleet.key}`, "content-type": "application/json" },
      body: JSON.stringify({ model: chatModels.openai, stream: true, messages: [{ role: "user", content: "a b c d e f g h i j k l m n o p q r s t" }] }),
    });
    const reader = res.body!.getReader();
    await reader.read();
    ac.abort();
    await expect.poll(() => lastLog(chatModels.openai)?.status, { timeout: 5000 }).toBe(499);
    expect(lastLog(chatModels.openai).outcome).toBe("incomplete");
    expect(fleet.sims.openai.requests.length).toBe(before + 1);
    await expect.poll(() => fleet.sims.openai.requests.at(-1)!.clientClosedEarly, { timeout: 5000 }).toBe(true);
  });
});

import { describe, expect, it } from "vitest";
import { createStdoutSink, type AlertRecord, type DecisionRecord, type RequestRecord } from "./events";

const request: RequestRecord = {
  id: "req_1", at: 1_700_000_000_000, endpoint: "chat", virtualKeyId: "vk_1", teamId: null, customerId: null, tenantId: null,
  modelRequested: "gpt-4o", provider: "openai", providerKeyId: "pk_1", modelUsed: "gpt-4o", params: { max_tokens: 5, stop: ["\n"] },
  inputTokens: 3, outputTokens: 4, cachedReadTokens: 0, cachedWriteTokens: 0, latencyMs: 12, ttftMs: null, costMicros: 7,
  outcome: "success", errorCode: null, status: 200, attempts: 1, fallbackPath: ["openai/main"], stream: false, metadata: { team: "a \"quoted\" name" },
};
const decision: DecisionRecord = {
  id: "evt_1", at: 1, action: "gateway.auth_failed", outcome: "denied", keyId: null, requestId: "req_2", ip: "127.0.0.1", userAgent: null, reason: "invalid API key", code: "invalid_key",
};
const alert: AlertRecord = { kind: "budget_soft_threshold", at: 2, budgetId: "bud_1", label: "team", thresholdPct: 90, spentMicros: 9, limitMicros: 10, webhookUrl: null };

function capture(opts?: Parameters<typeof createStdoutSink>[1]) {
  const writes: string[] = [];
  return { writes, sink: createStdoutSink((chunk) => writes.push(chunk), opts) };
}

describe("stdout sink", () => {
  it("writes the same JSON line per event as stringifying the kind and the record together", () => {
    const { writes, sink } = capture();
    sink.request(request);
    sink.decision(decision);
    sink.alert(alert);
    sink.flush();
    expect(writes.join("")).toBe(
      `${JSON.stringify({ kind: "request", ...request })}\n${JSON.stringify({ kind: "decision", ...decision })}\n${JSON.stringify({ ...{ kind: "alert" }, ...alert })}\n`,
    );
    const lines = writes.join("").trimEnd().split("\n").map((l) => JSON.parse(l) as { kind: string });
    expect(lines.map((l) => l.kind)).toEqual(["request", "decision", "budget_soft_threshold"]);
  });

  it("batches the lines of a burst into one write, a few ms later", async () => {
    const { writes, sink } = capture({ flushMs: 5 });
    for (let i = 0; i < 20; i++) sink.request({ ...request, id: `req_${i}` });
    expect(writes).toEqual([]);
    await new Promise((r) => setTimeout(r, 30));
    expect(writes).toHaveLength(1);
    expect(writes[0]!.split("\n").filter(Boolean)).toHaveLength(20);
    sink.request(request);
    await new Promise((r) => setTimeout(r, 30));
    expect(writes).toHaveLength(2);
  });

  it("writes at once when the pending lines grow past the limit", () => {
    const line = JSON.stringify({ kind: "request", ...request }).length + 1;
    const { writes, sink } = capture({ flushMs: 60_000, maxPendingChars: Math.floor(2.5 * line) });
    sink.request(request);
    sink.request(request);
    expect(writes).toEqual([]);
    sink.request(request);
    expect(writes).toHaveLength(1);
    expect(writes[0]!.split("\n").filter(Boolean)).toHaveLength(3);
    sink.request(request);
    sink.flush();
    expect(writes).toHaveLength(2);
    expect(writes.join("").split("\n").filter(Boolean)).toHaveLength(4);
  });
});

import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createEventEmitter, type PortcullisEventEmitter } from "./emitter";
import type { EventTransport } from "./transport";
import type { DecisionEventInput } from "./types";

/** A transport that can be switched off, and records what it accepted. */
function fakeTransport() {
  const accepted: string[] = [];
  const batches: number[] = [];
  const listeners: (() => void)[] = [];
  const t = {
    up: true,
    /** Fail after this many more lines (simulates a connection dying mid-replay). */
    failAfter: Infinity,
    accepted,
    batches,
    kind: "redis" as const,
    async send(lines: readonly string[]) {
      await new Promise((r) => setImmediate(r));
      if (!t.up) throw new Error("connect ECONNREFUSED");
      if (t.failAfter < lines.length) {
        t.up = false;
        throw new Error("connection reset");
      }
      t.failAfter -= lines.length;
      accepted.push(...lines);
      batches.push(lines.length);
    },
    onReachable(l: () => void) {
      listeners.push(l);
    },
    reconnect() {
      t.up = true;
      t.failAfter = Infinity;
      listeners.forEach((l) => l());
    },
    async close() {},
  };
  return t satisfies EventTransport;
}

const decision = (n: number): DecisionEventInput => ({
  v: 1,
  type: "decision",
  id: `evt_${String(n).padStart(6, "0")}`,
  time: new Date(0).toISOString(),
  actor: { type: "anonymous" },
  action: "gateway.auth_failed",
});
const ids = (lines: string[]) => lines.map((l) => (JSON.parse(l) as { id: string }).id);
const until = async (cond: () => boolean, ms = 15_000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 5));
  }
};

let dirs: string[] = [];
let emitters: PortcullisEventEmitter[] = [];
const spoolDir = () => {
  const d = mkdtempSync(join(tmpdir(), "pc-spool-"));
  dirs.push(d);
  return d;
};
afterEach(async () => {
  await Promise.all(emitters.map((e) => e.close()));
  emitters = [];
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

describe("createEventEmitter", () => {
  it("returns from emit at once and delivers in batches, stamping the node name", async () => {
    const t = fakeTransport();
    const e = createEventEmitter({ transport: t, spoolDir: spoolDir(), nodeName: "gw-1", batchSize: 100 });
    emitters.push(e);
    for (let i = 0; i < 250; i++) e.emit(decision(i));
    expect(t.accepted).toHaveLength(0); // nothing is sent inside emit()
    expect(e.stats().buffered).toBe(250);
    await e.flush();
    expect(ids(t.accepted)).toEqual(Array.from({ length: 250 }, (_, i) => decision(i).id));
    expect(Math.max(...t.batches)).toBeLessThanOrEqual(100);
    expect(JSON.parse(t.accepted[0]!).node).toBe("gw-1");
    expect(e.stats()).toMatchObject({ mode: "redis", buffered: 0, emitted: 250, delivered: 250, dropped: 0 });
  });

  it("flushes a lone event after the flush interval", async () => {
    const t = fakeTransport();
    const e = createEventEmitter({ transport: t, spoolDir: spoolDir(), nodeName: "n", flushIntervalMs: 5 });
    emitters.push(e);
    e.emit(decision(1));
    await until(() => t.accepted.length === 1);
  });

  it("spools while the transport is down and replays in order once it is back, then deletes the spool", async () => {
    const t = fakeTransport();
    const dir = spoolDir();
    const e = createEventEmitter({ transport: t, spoolDir: dir, nodeName: "gw", batchSize: 50, retryMinMs: 20, retryMaxMs: 40 });
    emitters.push(e);
    for (let i = 0; i < 30; i++) e.emit(decision(i));
    await e.flush();
    t.up = false;
    for (let i = 30; i < 200; i++) e.emit(decision(i));
    await e.flush();
    expect(e.stats().mode).toBe("spool");
    expect(e.stats().spooledBytes).toBeGreaterThan(0);
    expect(e.stats().lastError).toMatch(/ECONNREFUSED/);
    const spooled = readdirSync(join(dir, "gw")).map((f) => readFileSync(join(dir, "gw", f), "utf8")).join("");
    expect(spooled.trim().split("\n")).toHaveLength(170);

    // Emitted after the outage began but before the replay: must come after the spooled ones.
    for (let i = 200; i < 230; i++) e.emit(decision(i));
    await e.flush();
    t.reconnect();
    await until(() => e.stats().mode === "redis");
    for (let i = 230; i < 240; i++) e.emit(decision(i));
    await e.flush();
    expect(ids(t.accepted)).toEqual(Array.from({ length: 240 }, (_, i) => decision(i).id));
    expect(readdirSync(join(dir, "gw"))).toEqual([]);
    expect(e.stats()).toMatchObject({ spooledBytes: 0, dropped: 0, replayed: 200 });
  });

  it("keeps a segment whose replay failed half way and replays it again (duplicates, never losses)", async () => {
    const t = fakeTransport();
    const dir = spoolDir();
    const e = createEventEmitter({ transport: t, spoolDir: dir, nodeName: "gw", batchSize: 10, retryMinMs: 20, retryMaxMs: 40 });
    emitters.push(e);
    t.up = false;
    for (let i = 0; i < 40; i++) e.emit(decision(i));
    await e.flush();
    t.up = true;
    t.failAfter = 25; // the replay dies after two and a half batches
    await until(() => !t.up);
    expect(readdirSync(join(dir, "gw")).length).toBeGreaterThan(0);
    t.reconnect();
    await until(() => e.stats().mode === "redis");
    const got = ids(t.accepted);
    expect(new Set(got)).toEqual(new Set(Array.from({ length: 40 }, (_, i) => decision(i).id)));
    expect(got.length).toBeGreaterThan(40); // the first 20 were sent twice
    expect(readdirSync(join(dir, "gw"))).toEqual([]);
  });

  it("replays a spool left by an earlier process before anything new", async () => {
    const dir = spoolDir();
    const down = fakeTransport();
    down.up = false;
    const first = createEventEmitter({ transport: down, spoolDir: dir, nodeName: "gw" });
    for (let i = 0; i < 5; i++) first.emit(decision(i));
    await first.close(); // the process stops during the outage
    expect(readdirSync(join(dir, "gw"))).toHaveLength(1);

    const t = fakeTransport();
    const second = createEventEmitter({ transport: t, spoolDir: dir, nodeName: "gw" });
    emitters.push(second);
    await until(() => second.stats().mode === "redis");
    second.emit(decision(5));
    await second.flush();
    expect(ids(t.accepted)).toEqual([0, 1, 2, 3, 4, 5].map((i) => decision(i).id));
  });

  it("drops and counts, never throws, when the buffer is full or after close", async () => {
    const t = fakeTransport();
    const e = createEventEmitter({ transport: t, spoolDir: spoolDir(), nodeName: "n", maxBuffered: 3, batchSize: 100, flushIntervalMs: 1000 });
    for (let i = 0; i < 5; i++) e.emit(decision(i));
    expect(e.stats()).toMatchObject({ buffered: 3, dropped: 2 });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => e.emit({ ...decision(9), metadata: cyclic })).not.toThrow();
    await e.close();
    expect(() => e.emit(decision(10))).not.toThrow();
    expect(e.stats()).toMatchObject({ mode: "closed", delivered: 3, dropped: 4 });
  });

  it("embedded mode delivers parsed events to the ingest function, spooling while it fails", async () => {
    const received: unknown[] = [];
    let failing = true;
    const e = createEventEmitter({
      spoolDir: spoolDir(),
      nodeName: "embedded",
      retryMinMs: 10,
      retryMaxMs: 20,
      deliver: async (events) => {
        if (failing) throw new Error("database is starting");
        received.push(...events);
      },
    });
    emitters.push(e);
    e.emit(decision(1));
    await e.flush();
    expect(e.stats().mode).toBe("spool");
    failing = false;
    await until(() => e.stats().mode === "embedded");
    expect(received).toEqual([{ ...decision(1), node: "embedded" }]);
  });

  it("needs a Redis URL or, embedded, a deliver function", () => {
    expect(() => createEventEmitter({ spoolDir: "/tmp", nodeName: "n" })).toThrow(/redis|deliver/);
  });
});

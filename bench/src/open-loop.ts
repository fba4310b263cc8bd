import { setMaxListeners } from "node:events";
import { Pool } from "undici";

/** One HTTP endpoint as the load generator calls it. */
export interface Endpoint {
  origin: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface OpenLoopOptions {
  /** Arrivals per second. */
  rate: number;
  /** Measured phase, after the warm-up. */
  durationMs: number;
  /** Arrivals before the measured phase (connections open, JIT warm); not recorded. */
  warmupMs: number;
  /** Arrivals beyond this many in flight are not sent and count as `dropped` (a bound, not a queue). */
  maxInFlight: number;
  /** How long to wait for stragglers after the last arrival; they are then aborted and counted as errors. */
  drainMs: number;
  /** Streaming: also record the time to the first body byte. */
  stream: boolean;
}

export interface OpenLoopResult {
  /** Requests sent, warm-up included. */
  fired: number;
  scheduled: number;
  ok: number;
  errors: number;
  dropped: number;
  /** Scheduled send time -> last body byte, ms, successful requests only (no coordinated omission). */
  latencyMs: number[];
  /** Actual send time -> last body byte, ms: the same without the generator's own scheduling lag. */
  serviceMs: number[];
  /** Scheduled send time -> first body byte, ms (streaming only). */
  firstByteMs: number[];
  /**
   * Scheduled send time -> first body byte carrying a token (a non-empty `"content":"…"`),
   * ms (streaming only). An upstream's role-only opening chunk is a byte but no token; the
   * gateway holds the stream until the first token (failover before it), so time to first
   * token is what compares the two fairly.
   */
  firstTokenMs: number[];
  /** How late the generator sent, ms (its timer granularity on a shared core). */
  sendLagMs: number[];
  firstError?: string;
  achievedRate: number;
}

/** A chat-completions chunk with text in it (the role-only opening chunk has `"content":""`). */
const tokenMarker = /"content":"[^"]/;

/** A keep-alive pool per origin, as a real client (an SDK) would hold. */
export function createPool(origin: string): Pool {
  return new Pool(origin, { connections: 256, pipelining: 1, keepAliveTimeout: 30_000, keepAliveMaxTimeout: 60_000 });
}

/**
 * Open-loop (constant arrival rate) load: request i is due at start + i / rate whatever
 * happened to earlier ones, and its latency counts from that due time, so a stall in the
 * system under test shows in the percentiles instead of silently slowing the generator.
 * Bounded by count (rate x duration), by time (drainMs) and by in-flight requests.
 */
export async function runOpenLoop(pool: Pool, ep: Endpoint, o: OpenLoopOptions): Promise<OpenLoopResult> {
  const interval = 1000 / o.rate;
  const warmupCount = Math.round((o.rate * o.warmupMs) / 1000);
  const total = warmupCount + Math.round((o.rate * o.durationMs) / 1000);
  const r: OpenLoopResult = {
    fired: 0, scheduled: total - warmupCount, ok: 0, errors: 0, dropped: 0, latencyMs: [], serviceMs: [], firstByteMs: [], firstTokenMs: [], sendLagMs: [], achievedRate: 0,
  };
  const abort = new AbortController();
  // One signal stops every straggler at the deadline; each request in flight listens on it.
  setMaxListeners(0, abort.signal);
  let inFlight = 0;
  let next = 0;
  let onIdle: (() => void) | undefined;
  let measuredStart = Number.NaN;
  let measuredEnd = Number.NaN;

  const fire = (due: number, recorded: boolean) => {
    if (inFlight >= o.maxInFlight) {
      if (recorded) r.dropped++;
      return;
    }
    inFlight++;
    r.fired++;
    const sent = performance.now();
    if (recorded) r.sendLagMs.push(sent - due);
    void (async () => {
      let first = Number.NaN;
      let firstToken = Number.NaN;
      let tail = "";
      try {
        const res = await pool.request({ path: ep.path, method: "POST", headers: ep.headers, body: ep.body, signal: abort.signal });
        if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}: ${(await res.body.text()).slice(0, 300)}`);
        for await (const chunk of res.body) {
          const at = performance.now();
          if (Number.isNaN(first)) first = at;
          if (o.stream && Number.isNaN(firstToken)) {
            // The tail of the previous chunk joins in, in case the marker straddles two reads.
            const text = tail + (chunk as Buffer).toString("latin1");
            if (tokenMarker.test(text)) firstToken = at;
            else tail = text.slice(-32);
          }
        }
        const end = performance.now();
        if (recorded) {
          r.ok++;
          r.latencyMs.push(end - due);
          r.serviceMs.push(end - sent);
          if (o.stream) {
            r.firstByteMs.push(first - due);
            if (!Number.isNaN(firstToken)) r.firstTokenMs.push(firstToken - due);
          }
          measuredEnd = Number.isNaN(measuredEnd) ? end : Math.max(measuredEnd, end);
        }
      } catch (e) {
        if (recorded) {
          r.errors++;
          r.firstError ??= (e as Error).message;
        }
      } finally {
        inFlight--;
        if (inFlight === 0) onIdle?.();
      }
    })();
  };

  const start = performance.now() + 2;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (next < total && start + next * interval <= now) {
        if (next === warmupCount) measuredStart = start + next * interval;
        fire(start + next * interval, next >= warmupCount);
        next++;
      }
      if (next >= total) return resolve();
      // setTimeout cannot wait less than ~1 ms: late arrivals are sent in the next tick and the lag is recorded.
      setTimeout(tick, Math.max(0, start + next * interval - performance.now() - 0.5));
    };
    tick();
  });
  const idle = (ms: number) =>
    inFlight === 0
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, ms);
          onIdle = () => {
            clearTimeout(timer);
            resolve();
          };
        });
  await idle(o.drainMs);
  // Stragglers past the deadline are aborted; their rejections settle at once and count as errors.
  abort.abort();
  await idle(500);
  r.achievedRate = r.ok / (((Number.isNaN(measuredEnd) ? measuredStart : measuredEnd) - measuredStart) / 1000 || 1);
  return r;
}

export interface ClosedLoopResult {
  requests: number;
  errors: number;
  rps: number;
  firstError?: string;
}

/** Closed loop: `connections` callers each send the next request when the last answered (the Node fallback for wrk). */
export async function runClosedLoop(pool: Pool, ep: Endpoint, connections: number, durationMs: number): Promise<ClosedLoopResult> {
  const r: ClosedLoopResult = { requests: 0, errors: 0, rps: 0 };
  const started = performance.now();
  const deadline = started + durationMs;
  const caller = async () => {
    while (performance.now() < deadline) {
      try {
        const res = await pool.request({ path: ep.path, method: "POST", headers: ep.headers, body: ep.body });
        await res.body.dump();
        if (res.statusCode === 200) r.requests++;
        else throw new Error(`status ${res.statusCode}`);
      } catch (e) {
        r.errors++;
        r.firstError ??= (e as Error).message;
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, caller));
  r.rps = r.requests / ((performance.now() - started) / 1000);
  return r;
}

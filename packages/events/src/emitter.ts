import { join } from "node:path";
import { openSpool, type Spool } from "./spool";
import { createInProcessTransport, createRedisTransport, type EventTransport } from "./transport";
import type { PortcullisEventInput } from "./types";

export interface EventEmitterOptions {
  /** Redis URL. Without it the emitter is embedded and needs `deliver`. */
  redis?: string;
  /** Embedded mode: the worker's ingest function in this process. */
  deliver?: (events: unknown[]) => Promise<void>;
  /** Parent of this node's spool directory (`<spoolDir>/<nodeName>`). */
  spoolDir: string;
  nodeName: string;
  /** Stream name and approximate length cap, see createRedisTransport. */
  stream?: string;
  maxLen?: number;
  /** Events per XADD pipeline / delivery. Default 500. */
  batchSize?: number;
  /** Longest an event waits in memory before a flush. Default 10 ms. */
  flushIntervalMs?: number;
  /** Events kept in memory at most; beyond it emit() drops and counts. Default 100,000. */
  maxBuffered?: number;
  /** Spool segment rotation size (default 8 MiB) and total cap (default 1 GiB). */
  spoolSegmentBytes?: number;
  maxSpoolBytes?: number;
  /** Backoff between replay attempts while the transport is down. Default 200 ms .. 10 s. */
  retryMinMs?: number;
  retryMaxMs?: number;
  /** Replaces the transport (tests). */
  transport?: EventTransport;
}

/** `starting`: the spool directory is being opened (an earlier run may have left a spool). */
export type EmitterMode = "starting" | "redis" | "embedded" | "spool" | "replaying" | "closed";

export interface EmitterStats {
  mode: EmitterMode;
  /** Events in memory, not yet handed to the transport or the spool. */
  buffered: number;
  spooledBytes: number;
  emitted: number;
  delivered: number;
  spooled: number;
  replayed: number;
  /** Events lost: buffer or spool full, unserializable, or emitted after close. */
  dropped: number;
  lastError?: string;
  lastErrorAt?: string;
}

export interface PortcullisEventEmitter {
  /** Never blocks and never throws: the request path calls it and moves on. */
  emit(event: PortcullisEventInput): void;
  stats(): EmitterStats;
  /** Resolves once every event emitted so far is with the transport or in the spool. */
  flush(): Promise<void>;
  /** Flushes, stops replaying, and closes the spool and the transport. */
  close(): Promise<void>;
}

/**
 * Buffers events in memory and delivers them in batches (every `flushIntervalMs` or
 * `batchSize` events). When the transport fails, batches go to the local spool and the spool is
 * replayed in order once it answers again; a segment is deleted only after all its events were
 * acknowledged. While a spool exists new batches are appended to it too, so delivery order is
 * kept across an outage.
 */
export function createEventEmitter(opts: EventEmitterOptions): PortcullisEventEmitter {
  const transport = opts.transport ?? pickTransport(opts);
  const batchSize = opts.batchSize ?? 500;
  const flushIntervalMs = opts.flushIntervalMs ?? 10;
  const maxBuffered = opts.maxBuffered ?? 100_000;
  const maxSpoolBytes = opts.maxSpoolBytes ?? 1024 * 1024 * 1024;
  const retryMin = opts.retryMinMs ?? 200;
  const retryMax = opts.retryMaxMs ?? 10_000;

  const buffer: string[] = [];
  const counts = { emitted: 0, delivered: 0, spooled: 0, replayed: 0, dropped: 0 };
  let state: "starting" | "direct" | "spool" | "replaying" = "starting";
  let closed = false;
  let closing = false;
  let lastError: { message: string; at: Date } | undefined;
  let flushTimer: NodeJS.Timeout | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let retryDelay = retryMin;
  let draining: Promise<void> | undefined;
  let replaying: Promise<void> | undefined;
  let spool: Spool | undefined;

  const note = (e: unknown) => {
    lastError = { message: e instanceof Error ? e.message : String(e), at: new Date() };
  };

  // Until the spool is open, batches wait for it: segments left by an earlier run are replayed
  // before anything new is sent.
  const spoolReady = openSpool({ dir: join(opts.spoolDir, safeDirName(opts.nodeName)), segmentBytes: opts.spoolSegmentBytes }).then(
    (s) => {
      spool = s;
      if (s.closedSegments().length > 0) {
        state = "replaying";
        scheduleReplay(0);
      } else state = "direct";
      return s;
    },
    (e: unknown) => {
      // Without a spool the emitter still delivers; it only cannot survive an outage.
      note(e);
      state = "direct";
      throw e;
    },
  );
  spoolReady.catch(() => {});

  const scheduleReplay = (delay: number) => {
    if (closed || retryTimer || replaying) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      replaying = replay().finally(() => (replaying = undefined));
    }, delay);
    retryTimer.unref();
  };
  transport.onReachable(() => {
    if (state === "direct" || replaying) return;
    clearTimeout(retryTimer);
    retryTimer = undefined;
    scheduleReplay(0);
  });

  const replay = async () => {
    try {
      const s = await spoolReady;
      while (!closed) {
        const segment = s.closedSegments()[0];
        if (segment === undefined) {
          if (!s.hasPendingWrites()) {
            // Nothing spooled and no append in flight: new batches may go straight out again.
            state = "direct";
            retryDelay = retryMin;
            return;
          }
          await s.rotate();
          continue;
        }
        const lines = await s.read(segment);
        for (let i = 0; i < lines.length; i += batchSize) {
          const chunk = lines.slice(i, i + batchSize);
          await transport.send(chunk);
          counts.replayed += chunk.length;
          state = "replaying";
        }
        await s.remove(segment);
      }
    } catch (e) {
      note(e);
      retryDelay = Math.min(retryDelay * 2, retryMax);
      scheduleReplay(retryDelay);
    }
  };

  const toSpool = async (batch: string[]): Promise<"spooled" | "direct"> => {
    const s = spool ?? (await spoolReady);
    // A replay may have finished while we waited: then the batch goes out directly.
    if (state === "direct") return "direct";
    const bytes = batch.reduce((n, l) => n + l.length + 1, 0);
    if (s.totalBytes() + bytes > maxSpoolBytes) {
      counts.dropped += batch.length;
      note(new Error("event spool is full; events dropped"));
      return "spooled";
    }
    await s.append(batch);
    counts.spooled += batch.length;
    return "spooled";
  };

  const deliver = async (batch: string[]) => {
    for (;;) {
      if (state === "direct") {
        try {
          await transport.send(batch);
          counts.delivered += batch.length;
          return;
        } catch (e) {
          note(e);
          state = "spool";
          scheduleReplay(retryDelay);
        }
      }
      if ((await toSpool(batch)) === "spooled") return;
    }
  };

  const drain = async () => {
    while (buffer.length > 0) {
      const batch = buffer.splice(0, batchSize);
      try {
        await deliver(batch);
      } catch (e) {
        // Neither the transport nor the disk took it: keep it and try again shortly.
        note(e);
        if (closing) {
          counts.dropped += batch.length;
          continue;
        }
        buffer.unshift(...batch);
        await new Promise((r) => setTimeout(r, retryDelay).unref());
      }
    }
  };

  let kickQueued = false;
  const kick = () => {
    kickQueued = false;
    clearTimeout(flushTimer);
    flushTimer = undefined;
    if (draining) return;
    draining = drain().finally(() => {
      draining = undefined;
      if (buffer.length > 0 && !closed) queueKick();
    });
  };
  /** Flush on the next turn of the event loop, never inside the caller's emit(). */
  const queueKick = () => {
    if (kickQueued) return;
    kickQueued = true;
    setImmediate(kick);
  };
  const drainAll = async () => {
    while (buffer.length > 0 || draining) {
      kick();
      await draining;
    }
  };

  return {
    emit(event) {
      if (closed || buffer.length >= maxBuffered) {
        counts.dropped++;
        note(new Error(closed ? "event emitted after close" : "event buffer is full; events dropped"));
        return;
      }
      let line: string;
      try {
        line = JSON.stringify(event.node ? event : { ...event, node: opts.nodeName });
      } catch (e) {
        counts.dropped++;
        note(e);
        return;
      }
      buffer.push(line);
      counts.emitted++;
      if (draining) return;
      if (buffer.length >= batchSize) queueKick();
      else if (!flushTimer) {
        flushTimer = setTimeout(kick, flushIntervalMs);
        flushTimer.unref();
      }
    },
    stats() {
      return {
        mode: closed ? "closed" : state === "direct" ? transport.kind : state,
        buffered: buffer.length,
        spooledBytes: spool?.totalBytes() ?? 0,
        ...counts,
        ...(lastError ? { lastError: lastError.message, lastErrorAt: lastError.at.toISOString() } : {}),
      };
    },
    flush: drainAll,
    async close() {
      if (closed || closing) return;
      closing = true;
      await drainAll();
      closed = true;
      clearTimeout(flushTimer);
      clearTimeout(retryTimer);
      await replaying;
      await spool?.close();
      await transport.close();
    },
  };
}

function pickTransport(opts: EventEmitterOptions): EventTransport {
  if (opts.redis) return createRedisTransport({ url: opts.redis, stream: opts.stream, maxLen: opts.maxLen });
  if (opts.deliver) return createInProcessTransport(opts.deliver);
  throw new Error("createEventEmitter: give `redis` (a URL) or, in embedded mode, `deliver`");
}

function safeDirName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, "_") || "node";
}

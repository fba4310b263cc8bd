import { Redis } from "ioredis";

/** Where an emitter delivers batches of serialized events (one JSON document per line). */
export interface EventTransport {
  readonly kind: "redis" | "embedded";
  /** Resolves once every line is accepted; rejects if any was not (the whole batch is retried). */
  send(lines: readonly string[]): Promise<void>;
  /** Called when the transport becomes reachable again, to start a spool replay at once. */
  onReachable(listener: () => void): void;
  close(): Promise<void>;
}

/** The Redis stream the gateway writes and the worker's ingest consumer group reads. */
export const EVENTS_STREAM = "pc:events";
/** Field of each stream entry holding the event JSON. */
export const EVENT_FIELD = "e";

export interface RedisTransportOptions {
  url: string;
  stream?: string;
  /**
   * Approximate cap on the stream length (XADD MAXLEN ~). Generous on purpose: entries the
   * worker has not read yet are trimmed only if it falls this far behind. Default 2,000,000.
   */
  maxLen?: number;
  commandTimeoutMs?: number;
}

/**
 * XADDs each batch in one pipeline. The offline queue is off and commands time out, so while
 * Redis is unreachable send() fails at once and the emitter spools instead of piling up.
 */
export function createRedisTransport(opts: RedisTransportOptions): EventTransport {
  const stream = opts.stream ?? EVENTS_STREAM;
  const maxLen = opts.maxLen ?? 2_000_000;
  const redis = new Redis(opts.url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 2000,
    commandTimeout: opts.commandTimeoutMs ?? 2000,
    retryStrategy: (attempt) => Math.min(100 * attempt, 2000),
  });
  const listeners: (() => void)[] = [];
  // Failures surface through send() and the emitter's stats; an unhandled 'error' would crash.
  redis.on("error", () => {});
  redis.on("ready", () => listeners.forEach((l) => l()));

  return {
    kind: "redis",
    async send(lines) {
      // Only the very first connection is waited for; during an outage send() fails at once.
      if (redis.status === "connecting" || redis.status === "connect") await readyWithin(redis, 2000);
      const pipeline = redis.pipeline();
      for (const line of lines) pipeline.xadd(stream, "MAXLEN", "~", maxLen, "*", EVENT_FIELD, line);
      const results = await pipeline.exec();
      if (!results) throw new Error("redis pipeline was discarded");
      const failed = results.find(([err]) => err);
      if (failed?.[0]) throw failed[0];
    },
    onReachable(listener) {
      listeners.push(listener);
    },
    async close() {
      redis.disconnect();
    },
  };
}

/** Embedded mode: hands batches straight to the worker's ingest function in this process. */
export function createInProcessTransport(deliver: (events: unknown[]) => Promise<void>): EventTransport {
  return {
    kind: "embedded",
    async send(lines) {
      await deliver(lines.map((l) => JSON.parse(l) as unknown));
    },
    onReachable() {},
    async close() {},
  };
}

function readyWithin(redis: Redis, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      redis.off("ready", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    redis.once("ready", done);
  });
}

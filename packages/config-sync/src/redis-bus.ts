import { Redis } from "ioredis";
import type { Bus, Unsubscribe } from "./bus";

/**
 * Redis-backed bus. Subscriptions use a second connection (a subscribed Redis
 * connection cannot run other commands). ioredis reconnects and re-subscribes on
 * its own; a command waits at most `commandTimeout` (queued while connecting) and
 * then fails, so a Redis outage degrades callers instead of hanging them.
 */
export function createRedisBus(url: string, options: { commandTimeoutMs?: number } = {}): Bus {
  // A publisher storing multi-megabyte snapshots may want a longer command timeout.
  const opts = { maxRetriesPerRequest: 1, connectTimeout: 2000, commandTimeout: options.commandTimeoutMs ?? 2000 };
  const cmd = new Redis(url, opts);
  let sub: Redis | undefined;
  const handlers = new Map<string, Set<(m: string) => void>>();
  // Errors surface through readiness probes and failed commands; an unhandled
  // 'error' event would otherwise crash the process.
  cmd.on("error", () => {});

  const subscriber = () => {
    if (sub) return sub;
    sub = new Redis(url, { ...opts, maxRetriesPerRequest: null, commandTimeout: undefined });
    sub.on("error", () => {});
    sub.on("message", (channel: string, message: string) => {
      for (const h of handlers.get(channel) ?? []) h(message);
    });
    return sub;
  };

  return {
    kind: "redis",
    async publish(channel, message) {
      await cmd.publish(channel, message);
    },
    async subscribe(channel, handler): Promise<Unsubscribe> {
      let set = handlers.get(channel);
      if (!set) {
        handlers.set(channel, (set = new Set()));
        await subscriber().subscribe(channel);
      }
      set.add(handler);
      return async () => {
        set.delete(handler);
        if (set.size === 0) {
          handlers.delete(channel);
          await sub?.unsubscribe(channel);
        }
      };
    },
    async get(key) {
      return cmd.getBuffer(key);
    },
    async set(key, value, ttlSeconds) {
      if (ttlSeconds === undefined) await cmd.set(key, value);
      else await cmd.set(key, value, "EX", ttlSeconds);
    },
    async keys(prefix) {
      const out: string[] = [];
      let cursor = "0";
      do {
        const [next, batch] = await cmd.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
        cursor = next;
        out.push(...batch);
      } while (cursor !== "0");
      return out;
    },
    async ping() {
      await cmd.ping();
    },
    async close() {
      cmd.disconnect();
      sub?.disconnect();
    },
  };
}

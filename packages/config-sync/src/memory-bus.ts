import type { Bus, Unsubscribe } from "./bus";

/** In-process bus for embedded mode and tests: same semantics as Redis for what we use. */
export function createMemoryBus(clock: () => number = Date.now): Bus {
  const handlers = new Map<string, Set<(m: string) => void>>();
  const store = new Map<string, { value: Buffer; expiresAt: number | undefined }>();

  const live = (key: string) => {
    const e = store.get(key);
    if (!e) return undefined;
    if (e.expiresAt !== undefined && e.expiresAt <= clock()) {
      store.delete(key);
      return undefined;
    }
    return e;
  };

  return {
    kind: "memory",
    async publish(channel, message) {
      // Delivered asynchronously, like Redis: a publisher never runs subscriber code inline.
      for (const h of handlers.get(channel) ?? []) queueMicrotask(() => h(message));
    },
    async subscribe(channel, handler): Promise<Unsubscribe> {
      let set = handlers.get(channel);
      if (!set) handlers.set(channel, (set = new Set()));
      set.add(handler);
      return async () => {
        set.delete(handler);
      };
    },
    async get(key) {
      return live(key)?.value ?? null;
    },
    async set(key, value, ttlSeconds) {
      store.set(key, {
        value: Buffer.isBuffer(value) ? value : Buffer.from(value),
        expiresAt: ttlSeconds === undefined ? undefined : clock() + ttlSeconds * 1000,
      });
    },
    async keys(prefix) {
      return [...store.keys()].filter((k) => k.startsWith(prefix) && live(k));
    },
    async ping() {},
    async close() {
      handlers.clear();
    },
  };
}

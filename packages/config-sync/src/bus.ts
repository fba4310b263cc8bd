/**
 * The message bus between console, gateways and worker: pub/sub for config
 * announcements plus a small key-value store for snapshots and fleet status.
 * Redis in the distributed setup; an in-process implementation in embedded mode.
 */
export type Unsubscribe = () => Promise<void>;

export interface Bus {
  readonly kind: "redis" | "memory";
  publish(channel: string, message: string): Promise<void>;
  subscribe(channel: string, handler: (message: string) => void): Promise<Unsubscribe>;
  get(key: string): Promise<Buffer | null>;
  set(key: string, value: string | Buffer, ttlSeconds?: number): Promise<void>;
  /** Keys matching a prefix (fleet status listing; small key spaces only). */
  keys(prefix: string): Promise<string[]>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Redis names of one install. A namespace other than the default isolates tests (or two installs sharing a Redis). */
export function busNames(namespace = "portcullis") {
  return {
    channels: {
      config: `${namespace}:config`,
    },
    keys: {
      snapshot: (version: bigint | number | string) => `${namespace}:config:snapshot:${version}`,
      latestSnapshot: `${namespace}:config:snapshot:latest`,
      /** The version of latestSnapshot as a decimal string: a cheap catch-up check. */
      latestVersion: `${namespace}:config:version`,
      node: (name: string) => `${namespace}:fleet:node:${name}`,
      nodePrefix: `${namespace}:fleet:node:`,
    },
  } as const;
}
export type BusNames = ReturnType<typeof busNames>;

const defaultNames = busNames();
export const channels = defaultNames.channels;
export const keys = defaultNames.keys;

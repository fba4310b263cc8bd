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

export const channels = {
  config: "portcullis:config",
} as const;

export const keys = {
  snapshot: (version: bigint | number | string) => `portcullis:config:snapshot:${version}`,
  latestSnapshot: "portcullis:config:snapshot:latest",
  node: (name: string) => `portcullis:fleet:node:${name}`,
  nodePrefix: "portcullis:fleet:node:",
} as const;

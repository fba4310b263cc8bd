import type { KeyObject } from "node:crypto";
import type { ConfigSnapshot, DependencyStatus } from "@portcullis/core";
import {
  configDependencyStatus, createConfigHolder, startConfigSubscriber,
  type Bus, type ConfigHolder, type ConfigSubscriber,
} from "@portcullis/config-sync";
import type { PrismaClient } from "@portcullis/db";
import type { EventSink } from "./events";
import type { CircuitRegistry } from "./routing/circuits";

export interface GatewayConfigOptions {
  /** Redis in the distributed setup, the in-process bus in embedded mode. */
  bus: Bus;
  /** Where the gateway polls the version while Redis is down; absent = last good snapshot only. */
  prisma?: PrismaClient;
  /** The Ed25519 public key(s) configuration must be signed with. */
  publicKeys: readonly KeyObject[];
  nodeName: string;
  /** Keeps the last good signed snapshot here for a cold start. */
  dataDir: string;
  pollIntervalMs: number;
  circuits: CircuitRegistry;
  /** Refused configuration is raised here as an alert. */
  events: EventSink;
  log: (line: string) => void;
  fleetIntervalMs?: number;
  /** Redis key prefix of the install (default "portcullis"). */
  namespace?: string;
  now?: () => number;
}

export interface GatewayConfig {
  holder: ConfigHolder<ConfigSnapshot>;
  subscriber: ConfigSubscriber;
  /** For `/readyz`: down without configuration, degraded while possibly behind. */
  status(): { state: DependencyStatus["state"]; detail: string };
}

/**
 * How a gateway process gets its configuration: signed snapshots and deltas from the bus,
 * PostgreSQL while Redis is down, the signed disk cache on a cold start; the fleet report
 * (version, hash, circuit breakers) under a TTL; a refused snapshot alerted.
 */
export async function startGatewayConfig(opts: GatewayConfigOptions): Promise<GatewayConfig> {
  const holder = createConfigHolder<ConfigSnapshot>();
  const now = opts.now ?? Date.now;
  const subscriber = await startConfigSubscriber({
    bus: opts.bus,
    holder,
    publicKeys: opts.publicKeys,
    nodeName: opts.nodeName,
    dataDir: opts.dataDir,
    ...(opts.prisma ? { prisma: opts.prisma } : {}),
    pollIntervalMs: opts.pollIntervalMs,
    ...(opts.namespace ? { namespace: opts.namespace } : {}),
    fleet: { ...(opts.fleetIntervalMs ? { intervalMs: opts.fleetIntervalMs } : {}), extra: () => ({ circuits: opts.circuits.summary() }) },
    log: opts.log,
    onAlert: (a) => opts.events.alert({ kind: "config_signature_rejected", at: now(), version: a.version, source: a.source, reason: a.reason, node: opts.nodeName }),
    now,
  });
  return {
    holder,
    subscriber,
    status() {
      const d = configDependencyStatus(subscriber.status());
      return { state: d.state, detail: d.detail ?? "" };
    },
  };
}

import { serve } from "@hono/node-server";
import type { AddressInfo } from "node:net";
import { newId, probe, type ConfigSnapshot, type DependencyStatus } from "@portcullis/core";
import type { Bus, ConfigHolder } from "@portcullis/config-sync";
import type { Counters } from "@portcullis/counters";
import { createTransport } from "@portcullis/providers";
import { createSecretResolver } from "@portcullis/secrets";
import { createGatewayApp } from "./app";
import type { GatewayServices } from "./context";
import { withAlertWebhooks } from "./alert-webhooks";
import { createGatewayEvents, type EventSink } from "./events";
import { createGovernance, type Governance } from "./governance/governance";
import { createMetrics } from "./metrics";
import { CircuitRegistry } from "./routing/circuits";
import { defaultBodyLogging, type BodyLoggingOptions } from "./upstream/body-capture";
import { createVertexTokens } from "./upstream/credentials";

export interface StartGatewayOptions {
  port: number;
  host: string;
  nodeName: string;
  maxBodyBytes: number;
  upstreamTimeoutMs?: number;
  bus: Bus;
  config: ConfigHolder<ConfigSnapshot>;
  /** Says where the configuration came from, for `/readyz` (e.g. "database v12", "disk cache v11"). */
  configStatus?: () => { state: DependencyStatus["state"]; detail?: string };
  pepper: string;
  encryptionKey?: string;
  /** Where `env://` credential references are read (process.env by default). */
  secretEnv?: NodeJS.ProcessEnv;
  counters: Counters;
  /** Replaces the counters-based governance (the benchmark's governance-off baseline). */
  governance?: Governance;
  events: EventSink;
  /** Extra readiness probes (e.g. the counters' failover state). */
  probes?: Array<() => Promise<DependencyStatus>>;
  defaultMetrics?: boolean;
  adminToken?: string;
  /** The process's circuit breakers, when created beforehand (the fleet reporter reads them). */
  circuits?: CircuitRegistry;
  /** The clock (tests drive calendar boundaries with it). */
  now?: () => number;
  /** Request/response bodies in the request log (off when unset). */
  bodyLogging?: BodyLoggingOptions;
}

export interface RunningGateway {
  url: string;
  port: number;
  services: GatewayServices;
  close(): Promise<void>;
}

/** Builds the gateway's services once; used by `startGateway`, tests and the benchmark. */
export function createGatewayServices(opts: StartGatewayOptions): GatewayServices {
  const now = opts.now ?? (() => Date.now());
  const dependencies = async (): Promise<DependencyStatus[]> => {
    const snapshot = opts.config.current();
    const cfg = opts.configStatus?.();
    const config: DependencyStatus = snapshot
      ? { name: "config", required: true, state: cfg?.state ?? "up", detail: cfg?.detail ?? `version ${snapshot.version}` }
      : { name: "config", required: true, state: "down", detail: cfg?.detail ?? "no configuration loaded" };
    const redis: DependencyStatus =
      opts.bus.kind === "memory"
        ? { name: "redis", state: "embedded", required: false, detail: "in-process bus and counters" }
        : await probe("redis", false, async () => {
            await opts.bus.ping();
            return "up";
          });
    return [config, redis, ...(await Promise.all((opts.probes ?? []).map((p) => p())))];
  };
  return {
    nodeName: opts.nodeName,
    maxBodyBytes: opts.maxBodyBytes,
    upstreamTimeoutMs: opts.upstreamTimeoutMs ?? 120_000,
    config: opts.config,
    pepper: opts.pepper,
    transport: createTransport(),
    secrets: createSecretResolver({ ...(opts.encryptionKey ? { encryptionKey: opts.encryptionKey } : {}), ...(opts.secretEnv ? { env: opts.secretEnv } : {}) }),
    vertexTokens: createVertexTokens(now),
    circuits: opts.circuits ?? new CircuitRegistry(now),
    adminToken: opts.adminToken,
    governance: opts.governance ?? createGovernance(opts.counters, now),
    events: createGatewayEvents(withAlertWebhooks(opts.events), now, () => newId("auditEvent")),
    bodyLogging: opts.bodyLogging ?? defaultBodyLogging,
    metrics: createMetrics({ defaultMetrics: opts.defaultMetrics ?? true }),
    now,
    dependencies,
  };
}

/** Starts the gateway's HTTP server. Used by `server.ts` and by the embedded launcher. */
export async function startGateway(opts: StartGatewayOptions): Promise<RunningGateway> {
  const services = createGatewayServices(opts);
  const app = createGatewayApp(services);
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: opts.port, hostname: opts.host }, () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${opts.host === "0.0.0.0" ? "localhost" : opts.host}:${port}`,
    port,
    services,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await services.transport.close();
    },
  };
}

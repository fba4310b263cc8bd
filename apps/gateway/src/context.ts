import type { CompiledKey, ConfigSnapshot, DependencyStatus } from "@portcullis/core";
import type { ConfigHolder } from "@portcullis/config-sync";
import type { TokenCache, Transport } from "@portcullis/providers";
import type { SecretResolver } from "@portcullis/secrets";
import type { GatewayMetrics } from "./metrics";
import type { Governance } from "./governance/governance";
import type { GatewayEvents } from "./events";
import type { CircuitRegistry } from "./routing/circuits";
import type { ClientWatch } from "./lib/node-request";
import type { BodyLoggingOptions } from "./upstream/body-capture";

/** Services built once at boot and handed to handlers through the context. */
export interface GatewayServices {
  nodeName: string;
  maxBodyBytes: number;
  /** Per-attempt upstream timeout (ms); streams also get an idle timeout of the same length. */
  upstreamTimeoutMs: number;
  config: ConfigHolder<ConfigSnapshot>;
  /** HMAC pepper for virtual keys. */
  pepper: string;
  transport: Transport;
  secrets: SecretResolver;
  /** Vertex service-account access tokens, cached until shortly before expiry. */
  vertexTokens: TokenCache;
  governance: Governance;
  /** Bearer token for /admin/*; unset = local requests only. */
  adminToken: string | undefined;
  /** Per-target circuit breakers, shared by the process. */
  circuits: CircuitRegistry;
  events: GatewayEvents;
  /** Request/response bodies in the request log: off by default; redacted and capped when on. */
  bodyLogging: BodyLoggingOptions;
  metrics: GatewayMetrics;
  now(): number;
  /** Readiness probes: configuration, Redis, PostgreSQL (or their embedded stand-ins). */
  dependencies(): Promise<DependencyStatus[]>;
}

export type Protocol = "openai" | "anthropic";

export interface AuthContext {
  key: CompiledKey;
  snapshot: ConfigSnapshot;
}

declare module "hono" {
  interface ContextVariableMap {
    requestId: string;
    services: GatewayServices;
    protocol: Protocol;
    auth: AuthContext;
    body: Record<string, unknown>;
    startedAt: number;
    /** From the tenant header or signed tenant token, when configured. */
    tenantId: string | undefined;
    /** Under @hono/node-server: whether the client disconnected (see lib/node-request). */
    clientWatch: ClientWatch | undefined;
    /** The response under way carries `x-request-id` itself (see middleware/request-id). */
    requestIdSent: boolean;
  }
}

import type { DependencyStatus } from "@portcullis/core";

/** Services built once at boot and handed to handlers through the context. */
export interface GatewayServices {
  nodeName: string;
  maxBodyBytes: number;
  /** Readiness probes: configuration, Redis, PostgreSQL (or their embedded stand-ins). */
  dependencies(): Promise<DependencyStatus[]>;
}

declare module "hono" {
  interface ContextVariableMap {
    requestId: string;
    services: GatewayServices;
  }
}

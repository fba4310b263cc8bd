import { serve } from "@hono/node-server";
import type { AddressInfo } from "node:net";
import { probe, type DependencyStatus } from "@portcullis/core";
import type { Bus } from "@portcullis/config-sync";
import { createGatewayApp } from "./app";

export interface StartGatewayOptions {
  port: number;
  host: string;
  nodeName: string;
  maxBodyBytes: number;
  bus: Bus;
}

export interface RunningGateway {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Starts the gateway's HTTP server. Used by `server.ts` and by the embedded launcher. */
export async function startGateway(opts: StartGatewayOptions): Promise<RunningGateway> {
  const dependencies = async (): Promise<DependencyStatus[]> => [
    opts.bus.kind === "memory"
      ? { name: "redis", state: "embedded", required: false, detail: "in-process bus and counters" }
      : await probe("redis", false, async () => {
          await opts.bus.ping();
          return "up";
        }),
  ];
  const app = createGatewayApp({ nodeName: opts.nodeName, maxBodyBytes: opts.maxBodyBytes, dependencies });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: opts.port, hostname: opts.host }, () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${opts.host === "0.0.0.0" ? "localhost" : opts.host}:${port}`,
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

import { serve } from "@hono/node-server";
import { Hono } from "hono";
import type { AddressInfo } from "node:net";
import { probe, summarizeReadiness, type DependencyStatus } from "@portcullis/core";
import type { Bus } from "@portcullis/config-sync";

export interface WorkerDatabase {
  ping(): Promise<void>;
}

/** Background jobs (see createWorkerJobs): started after the server listens, stopped first. */
export interface WorkerJobsHook {
  start(): Promise<void>;
  stop(): Promise<void>;
  readiness?(): Promise<DependencyStatus[]>;
}

export interface StartWorkerOptions {
  port: number;
  host: string;
  bus: Bus;
  db: WorkerDatabase;
  jobs?: WorkerJobsHook;
}

export interface RunningWorker {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** The worker's health surface; its jobs register beside it as they are built. */
export function createWorkerApp(opts: Pick<StartWorkerOptions, "bus" | "db" | "jobs">): Hono {
  return new Hono()
    .get("/healthz", (c) => c.json({ status: "ok", service: "worker" }))
    .get("/readyz", async (c) => {
      const deps = await Promise.all([
        probe("postgres", true, async () => {
          await opts.db.ping();
          return "up";
        }),
        opts.bus.kind === "memory"
          ? Promise.resolve({ name: "redis", state: "embedded" as const, required: false, detail: "in-process bus" })
          : probe("redis", true, async () => {
              await opts.bus.ping();
              return "up";
            }),
        ...(opts.jobs?.readiness ? [opts.jobs.readiness()] : []),
      ]);
      const readiness = summarizeReadiness(deps.flat());
      return c.json({ service: "worker", ...readiness }, readiness.ready ? 200 : 503);
    });
}

export async function startWorker(opts: StartWorkerOptions): Promise<RunningWorker> {
  const app = createWorkerApp(opts);
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: opts.port, hostname: opts.host }, () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  await opts.jobs?.start();
  return {
    url: `http://${opts.host === "0.0.0.0" ? "localhost" : opts.host}:${port}`,
    port,
    close: async () => {
      await opts.jobs?.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

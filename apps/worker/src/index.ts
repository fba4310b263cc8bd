export { startWorker, createWorkerApp, type RunningWorker, type StartWorkerOptions, type WorkerDatabase, type WorkerJobsHook } from "./start";
export { createWorkerJobs, type WorkerJobs, type WorkerJobsOptions } from "./jobs";
export * from "./ingest/index";
export * from "./audit/index";
export * from "./export/index";
export { readWorkerEnv, type WorkerEnv } from "./env";

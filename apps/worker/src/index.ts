export { startWorker, createWorkerApp, type RunningWorker, type StartWorkerOptions, type WorkerDatabase } from "./start";
export { readWorkerEnv, type WorkerEnv } from "./env";

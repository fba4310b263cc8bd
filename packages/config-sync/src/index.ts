export * from "./bus";
export { createMemoryBus } from "./memory-bus";
export { createRedisBus } from "./redis-bus";
export * from "./holder";
export { compileSnapshot } from "./compile";
export { startDbConfigPoller, type DbPoller, type DbPollerOptions } from "./db-poller";
export { readSnapshotCache, writeSnapshotCache, snapshotCachePath } from "./disk-cache";

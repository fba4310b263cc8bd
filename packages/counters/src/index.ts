export * from "./types";
export { createRedisCounters, type RedisCountersOptions } from "./redis-counters";
export { createMemoryCounters, type MemoryCountersOptions } from "./memory-counters";
export { withFailover, type CountersState, type FailoverCounters, type FailoverOptions } from "./failover";
export { denialToError } from "./denial-error";
export { benchAdmit, type BenchResult } from "./bench";
export { defaultKeyPrefix } from "./keys";

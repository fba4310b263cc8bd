export * from "./bus";
export { createMemoryBus } from "./memory-bus";
export { createRedisBus } from "./redis-bus";
export * from "./holder";

export * from "./sse";
export * from "./http";
export * from "./usage";
export * from "./upstream-error";

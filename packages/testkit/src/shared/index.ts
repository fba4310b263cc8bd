export * from "./faults";
export * from "./server";
export * from "./sse-writer";
export * from "./text";
export * from "./chunking";

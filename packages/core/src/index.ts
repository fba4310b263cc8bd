export * from "./ids";
export * from "./errors";
export * from "./error-shapes";
export type * from "./openai/types";

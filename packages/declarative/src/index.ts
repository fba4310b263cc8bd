export * from "./apply";
export * from "./execute";
export * from "./export";
export * from "./load";
export * from "./plan";
export * from "./schema";
export * from "./state";

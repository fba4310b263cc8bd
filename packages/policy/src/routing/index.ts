export * from "./schema";
export * from "./match";
export * from "./plan";
export * from "./validate";

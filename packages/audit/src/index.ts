export * from "./canonical";

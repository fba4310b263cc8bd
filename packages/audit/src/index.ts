export * from "./canonical";
export * from "./verify";
export * from "./signing";
export * from "./export/index";

export * from "./rbac";
export * from "./budget-period";
export * from "./cost";
export * from "./cost-usage";
export * from "./budget-window";
export * from "./rate-window";

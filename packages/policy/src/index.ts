export * from "./rbac";
export * from "./budget-period";
export * from "./cost";
export * from "./cost-usage";

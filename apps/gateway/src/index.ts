export { createGatewayApp } from "./app";
export type { GatewayServices } from "./context";
export { startGateway, type RunningGateway, type StartGatewayOptions } from "./start";
export { readGatewayEnv, type GatewayEnv } from "./env";

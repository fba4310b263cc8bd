export { createGatewayApp } from "./app";
export type { GatewayServices } from "./context";
export { startGateway, createGatewayServices, type RunningGateway, type StartGatewayOptions } from "./start";
export { readGatewayEnv, type GatewayEnv } from "./env";
export { createMemorySink, createStdoutSink, type EventSink, type RequestRecord, type DecisionRecord, type AlertRecord } from "./events";
export { startGatewayConfig, type GatewayConfig, type GatewayConfigOptions } from "./config-delivery";
export { CircuitRegistry } from "./routing/circuits";

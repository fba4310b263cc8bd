export * from "./types";
export { decisionToAuditInput, alertToAuditInput } from "./mapping";
export {
  createEventEmitter,
  type EventEmitterOptions,
  type EmitterMode,
  type EmitterStats,
  type PortcullisEventEmitter,
} from "./emitter";
export { createRedisTransport, createInProcessTransport, EVENTS_STREAM, EVENT_FIELD, type EventTransport, type RedisTransportOptions } from "./transport";
export { openSpool, type Spool, type SpoolOptions } from "./spool";
export {
  createGatewayEventSink,
  requestEventFromRecord,
  decisionEventFromRecord,
  alertEventFromRecord,
  type GatewayEventSink,
  type GatewayRequestRecord,
  type GatewayDecisionRecord,
  type GatewayAlertRecord,
  type BudgetAlertRecord,
  type ConfigRejectedAlertRecord,
} from "./gateway-sink";

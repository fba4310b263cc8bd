export { createTransport, mapTransportError, readBody, type SendOptions, type Transport, type TransportOptions, type UpstreamResponse } from "./transport";

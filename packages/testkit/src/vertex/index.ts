export { startVertexSimulator, type VertexSimulatorOptions, type VertexSimulatorHandle } from "./simulator";
export { generateServiceAccount, publicKeyFromPem, type SimServiceAccount, type ServiceAccountJson } from "./oauth";

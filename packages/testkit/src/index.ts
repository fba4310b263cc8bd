/** Wire-exact upstream simulators with fault injection, for tests, `pnpm sim` and benchmarks. */
export {
  startSimulator, sendJson, chunkings, FAULT_HEADER, parseFaultHeader, simTokenCount, splitPieces, simEmbedding, floatsToBase64, hash32,
  type Faults, type RecordedRequest, type SimulatorHandle, type SimulatorOptions, type RouteContext, type SimulatorDefinition,
} from "./shared";
export * from "./openai";
export * from "./azure-openai";
export * from "./anthropic";
export { startBedrockSimulator, defaultBedrockCredentials, verifySigV4, type BedrockSimulatorOptions, type AwsKey } from "./bedrock";
export { startGeminiSimulator, defaultGeminiApiKey, type GeminiSimulatorOptions, type SimFaults as GoogleSimFaults } from "./gemini";
export { startVertexSimulator, generateServiceAccount, type VertexSimulatorOptions, type VertexSimulatorHandle } from "./vertex";
export { freePort, privateRedis, type PrivateRedis } from "./private-redis";

export { startBedrockSimulator, defaultBedrockCredentials, type BedrockSimulatorOptions } from "./simulator";
export { verifySigV4, type AwsKey, type SigV4Result } from "./sigv4-verify";
export { encodeFrame, eventFrame, exceptionFrame } from "./event-stream-frame";

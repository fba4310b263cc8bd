export { startGeminiSimulator, type GeminiSimulatorOptions } from "./simulator";
export { think as simulateAnswer, type BrainInput, type BrainOutput } from "./brain";
export { googleErrorBody } from "./google-errors";
export type { Faults as SimFaults } from "../shared/faults";

/** A key for examples and `pnpm sim` docs; pass it as `apiKey` to make the simulator insist on it. */
export const defaultGeminiApiKey = "test-gemini-key";

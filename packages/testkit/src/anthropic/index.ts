export { startAnthropicSimulator, anthropicErrorBody, ANTHROPIC_SIM_MODELS, ANTHROPIC_SIM_VERSIONS } from "./simulator";
export { planMessage, countInputTokens, type MessagePlan, type SimBlock } from "./plan";

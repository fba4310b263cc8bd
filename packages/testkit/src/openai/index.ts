export { startOpenAiSimulator, openAiError, OPENAI_SIM_MODELS } from "./simulator";
export { planChat, messageText, openAiUsage, respondChat, validateChat, type ChatPlan, type ChatResponder } from "./chat";
export { embeddingResponse, embeddingInputs, defaultDimensions } from "./embeddings";

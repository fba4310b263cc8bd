export { startAzureOpenAiSimulator, AZURE_SIM_API_VERSIONS, type AzureSimulatorOptions } from "./simulator";

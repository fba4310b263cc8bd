import { generateVirtualKey } from "@portcullis/core";
import {
  defaultBedrockCredentials, startAnthropicSimulator, startAzureOpenAiSimulator, startBedrockSimulator, startGeminiSimulator,
  startOpenAiSimulator, startVertexSimulator, type SimulatorHandle,
} from "@portcullis/testkit";
import { buildSnapshot, startTestGateway, type TestGateway, type TestProvider } from "../testing/harness";

/** Test-only: one simulator per upstream protocol and a gateway in front of all of them. */
export interface SimFleet {
  gateway: TestGateway;
  sims: Record<"openai" | "azure" | "anthropic" | "bedrock" | "gemini" | "vertex", SimulatorHandle>;
  key: string;
  close(): Promise<void>;
}

export const fleetKey = generateVirtualKey();

export async function startSimFleet(): Promise<SimFleet> {
  const [openai, azure, anthropic, bedrock, gemini, vertex] = await Promise.all([
    startOpenAiSimulator({ apiKey: "sk-openai" }),
    startAzureOpenAiSimulator({ apiKey: "az-key", deployments: { "gpt4o-prod": "gpt-4o", "embed-prod": "text-embedding-3-small" } }),
    startAnthropicSimulator({ apiKey: "sk-ant" }),
    startBedrockSimulator({}),
    startGeminiSimulator({ apiKey: "gem-key" }),
    startVertexSimulator({ project: "proj-1" }),
  ]);
  const secretEnv = {
    OPENAI_KEY: "sk-openai", AZURE_KEY: "az-key", ANTHROPIC_KEY: "sk-ant", GEMINI_KEY: "gem-key",
    BEDROCK_CREDS: JSON.stringify(defaultBedrockCredentials), VERTEX_SA: JSON.stringify(vertex.serviceAccountKey),
  };
  const providers: TestProvider[] = [
    { name: "oai", type: "openai", baseUrl: `${openai.url}/v1`, credential: "env://OPENAI_KEY", models: ["gpt-4o-mini", "text-embedding-3-small"] },
    { name: "azure", type: "azure-openai", baseUrl: azure.url, credential: "env://AZURE_KEY", models: ["gpt-4o", "text-embedding-3-small"], deployments: { "gpt-4o": "gpt4o-prod", "text-embedding-3-small": "embed-prod" } },
    { name: "claude", type: "anthropic", baseUrl: anthropic.url, credential: "env://ANTHROPIC_KEY", models: ["claude-sonnet-4-5"] },
    { name: "bedrock", type: "bedrock", baseUrl: bedrock.url, region: "us-east-1", credential: "env://BEDROCK_CREDS", models: ["anthropic.claude-haiku-4-5-20251001-v1:0", "amazon.titan-embed-text-v2:0"] },
    { name: "gemini", type: "gemini", baseUrl: gemini.url, credential: "env://GEMINI_KEY", models: ["gemini-2.5-flash", "gemini-embedding-001"] },
    { name: "vertex", type: "vertex", baseUrl: vertex.url, region: "us-central1", project: "proj-1", credential: "env://VERTEX_SA", models: ["gemini-2.5-pro"] },
  ];
  const gateway = await startTestGateway(buildSnapshot(providers, [{ plaintext: fleetKey }]), { secretEnv });
  const sims = { openai, azure, anthropic, bedrock, gemini, vertex };
  return {
    gateway, sims, key: fleetKey,
    async close() {
      await gateway.close();
      await Promise.all(Object.values(sims).map((s) => s.close()));
    },
  };
}

/** A chat model on each simulator, as clients name it. */
export const chatModels = {
  openai: "oai/gpt-4o-mini",
  azure: "azure/gpt-4o",
  anthropic: "claude/claude-sonnet-4-5",
  bedrock: "bedrock/anthropic.claude-haiku-4-5-20251001-v1:0",
  gemini: "gemini/gemini-2.5-flash",
  vertex: "vertex/gemini-2.5-pro",
} as const;

export const embeddingModels = {
  openai: "oai/text-embedding-3-small",
  azure: "azure/text-embedding-3-small",
  bedrock: "bedrock/amazon.titan-embed-text-v2:0",
  gemini: "gemini/gemini-embedding-001",
} as const;

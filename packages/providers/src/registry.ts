import { PortcullisError } from "@portcullis/core";
import { anthropicAdapter } from "./anthropic";
import { azureOpenAiAdapter } from "./azure-openai";
import { bedrockAdapter } from "./bedrock";
import { geminiAdapter } from "./gemini";
import {
  deepseekAdapter, fireworksAdapter, groqAdapter, mistralAdapter, ollamaAdapter, openAiCompatibleAdapter, openRouterAdapter,
  togetherAdapter, vllmAdapter, xaiAdapter,
} from "./openai-compatible";
import { openAiAdapter } from "./openai";
import type { ProviderAdapter, ProviderType } from "./types";
import { providerTypes } from "./types";
import { vertexAdapter } from "./vertex";

/** One adapter per wire protocol; the compiler proves every ProviderType has one. */
export const providerAdapters: Readonly<Record<ProviderType, ProviderAdapter>> = {
  openai: openAiAdapter,
  "azure-openai": azureOpenAiAdapter,
  anthropic: anthropicAdapter,
  bedrock: bedrockAdapter,
  gemini: geminiAdapter,
  vertex: vertexAdapter,
  mistral: mistralAdapter,
  groq: groqAdapter,
  deepseek: deepseekAdapter,
  xai: xaiAdapter,
  together: togetherAdapter,
  fireworks: fireworksAdapter,
  openrouter: openRouterAdapter,
  ollama: ollamaAdapter,
  vllm: vllmAdapter,
  "openai-compatible": openAiCompatibleAdapter,
};

export function isProviderType(value: string): value is ProviderType {
  return (providerTypes as readonly string[]).includes(value);
}

/** The adapter for a provider type; an unknown type (e.g. from stale config) is a PortcullisError. */
export function getAdapter(type: string): ProviderAdapter {
  if (!isProviderType(type)) {
    throw new PortcullisError({ code: "internal", message: `no adapter for provider type "${type}"`, param: "provider" });
  }
  return providerAdapters[type];
}

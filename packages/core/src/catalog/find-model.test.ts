import { describe, expect, it } from "vitest";
import { findModel } from "./find-model";
import { stripSnapshot } from "./model-id";
import type { ModelEntry } from "./schema";

describe("findModel", () => {
  it("matches the exact id", () => {
    expect(findModel("openai", "gpt-4o")?.model).toBe("gpt-4o");
    expect(findModel("openai", "GPT-4o ")?.model).toBe("gpt-4o");
  });

  it("matches an alias", () => {
    expect(findModel("anthropic", "claude-sonnet-4-5")?.model).toBe("claude-sonnet-4-5-20250929");
    expect(findModel("fireworks", "llama-v3p3-70b-instruct")?.model).toBe("accounts/fireworks/models/llama-v3p3-70b-instruct");
  });

  it("matches dated snapshots to their family", () => {
    expect(findModel("openai", "gpt-4o-2024-08-06")?.model).toBe("gpt-4o");
    expect(findModel("openai", "gpt-4o-mini-2024-07-18")?.model).toBe("gpt-4o-mini");
    expect(findModel("openai", "gpt-4.1-2025-04-14")?.model).toBe("gpt-4.1");
    expect(findModel("anthropic", "claude-haiku-4-5-20260101")?.model).toBe("claude-haiku-4-5-20251001");
    expect(findModel("gemini", "gemini-2.0-flash-001")?.model).toBe("gemini-2.0-flash");
    expect(findModel("xai", "grok-4-0709")?.model).toBe("grok-4");
  });

  it("does not confuse sibling models", () => {
    expect(findModel("openai", "gpt-4o-mini")?.model).toBe("gpt-4o-mini");
    expect(findModel("openai", "gpt-5-mini-2025-08-07")?.model).toBe("gpt-5-mini");
    expect(findModel("anthropic", "claude-opus-4-5")?.model).toBe("claude-opus-4-5-20251101");
    expect(findModel("anthropic", "claude-opus-4-6")?.model).toBe("claude-opus-4-6");
  });

  it("strips Bedrock inference-profile prefixes and ARNs", () => {
    const id = "anthropic.claude-sonnet-4-5-20250929-v1:0";
    expect(findModel("bedrock", `us.${id}`)?.model).toBe(id);
    expect(findModel("bedrock", `global.${id}`)?.model).toBe(id);
    expect(findModel("bedrock", `eu.${id}`)?.model).toBe(id);
    expect(findModel("bedrock", `arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.${id}`)?.model).toBe(id);
    expect(findModel("bedrock", "anthropic.claude-sonnet-4-5-20250929-v2:0")?.model).toBe(id);
  });

  it("strips Gemini and Vertex resource paths and Vertex @versions", () => {
    expect(findModel("gemini", "models/gemini-2.5-flash")?.model).toBe("gemini-2.5-flash");
    expect(findModel("vertex", "projects/p/locations/global/publishers/google/models/gemini-2.5-pro")?.model).toBe("gemini-2.5-pro");
    expect(findModel("vertex", "claude-haiku-4-5@20251001")?.model).toBe("claude-haiku-4-5@20251001");
    expect(findModel("vertex", "claude-sonnet-4-5")?.model).toBe("claude-sonnet-4-5@20250929");
  });

  it("returns undefined for unknown models and for a model under the wrong provider", () => {
    expect(findModel("openai", "gpt-nonexistent")).toBeUndefined();
    expect(findModel("anthropic", "gpt-4o")).toBeUndefined();
    expect(findModel("ollama", "llama3")).toBeUndefined();
    expect(findModel("openai", "  ")).toBeUndefined();
  });

  it("searches install entries before the catalog", () => {
    const local: ModelEntry = {
      provider: "ollama", model: "llama3.1:8b", mode: "chat", contextWindow: 131_072, maxOutputTokens: 8_192,
      price: { input: 0, output: 0, cachedRead: null, cachedWrite: null },
      source: "https://ollama.com/library/llama3.1", asOf: "2026-11-29", verified: false, notes: "self-hosted",
    };
    const pinned: ModelEntry = { ...local, provider: "openai", model: "gpt-4o-2024-05-13", price: { ...local.price, input: 5, output: 15 } };
    expect(findModel("ollama", "llama3.1:8b", [local])).toBe(local);
    expect(findModel("openai", "gpt-4o-2024-05-13", [pinned])).toBe(pinned);
    // A snapshot pinned by the install does not capture its siblings.
    expect(findModel("openai", "gpt-4o-2024-08-06", [pinned])?.model).toBe("gpt-4o");
    expect(findModel("openai", "gpt-4.1", [pinned])?.model).toBe("gpt-4.1");
  });
});

describe("stripSnapshot", () => {
  it("removes every kind of version suffix, repeatedly", () => {
    expect(stripSnapshot("gpt-4o-2024-08-06")).toBe("gpt-4o");
    expect(stripSnapshot("claude-sonnet-4-5-20250929")).toBe("claude-sonnet-4-5");
    expect(stripSnapshot("claude-sonnet-4-5@20250929")).toBe("claude-sonnet-4-5");
    expect(stripSnapshot("anthropic.claude-haiku-4-5-20251001-v1:0")).toBe("anthropic.claude-haiku-4-5");
    expect(stripSnapshot("mistral-large-latest")).toBe("mistral-large");
    expect(stripSnapshot("claude-opus-4-6")).toBe("claude-opus-4-6");
  });
});

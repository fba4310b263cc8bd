import { describe, expect, it } from "vitest";
import type { CompiledKey } from "@portcullis/core";
import { authorizeEndpoint, authorizeModel, globMatch, keyUsable } from "./authorize";

const key = (over: Partial<CompiledKey> = {}): CompiledKey => ({
  id: "vk_1", name: "nb", prefix: "pck_abcdef", status: "active", expiresAt: null, graceExpiresAt: null,
  teamId: null, customerId: null, environment: "prod", allowedProviders: ["openai"], allowedModels: ["openai/gpt-4o*"],
  blockedModels: [], allowedEndpoints: ["chat"], ipAllowList: [], metadata: {}, providerKeyIds: [], ...over,
});
const openai = { name: "openai", type: "openai" };

describe("authorization", () => {
  it("globs", () => {
    expect(globMatch("gpt-4o*", "gpt-4o-mini")).toBe(true);
    expect(globMatch("gpt-4o*", "gpt-4.1")).toBe(false);
    expect(globMatch("a.b", "aXb")).toBe(false);
    expect(globMatch("*", "anything")).toBe(true);
  });
  it("denies by default and allows what the lists name", () => {
    expect(authorizeModel(key(), openai, "gpt-4o-mini")).toBeUndefined();
    expect(authorizeModel(key(), openai, "o3")?.code).toBe("model_not_allowed");
    expect(authorizeModel(key({ allowedProviders: [] }), openai, "gpt-4o")).toEqual({
      code: "provider_not_allowed", message: 'virtual key "nb" may not use provider "openai" (allowed: none)',
    });
    expect(authorizeModel(key({ allowedModels: [] }), openai, "gpt-4o")?.code).toBe("model_not_allowed");
    expect(authorizeEndpoint(key(), "embeddings")?.message).toBe('virtual key "nb" may not use the embeddings endpoint (allowed: chat)');
    expect(authorizeEndpoint(key({ allowedEndpoints: ["*"] }), "embeddings")).toBeUndefined();
  });
  it("lets the block list win and matches providers by name or type", () => {
    const azure = { name: "azure-eastus", type: "azure-openai" };
    const k = key({ allowedProviders: ["azure-openai"], allowedModels: ["*"], blockedModels: ["*-preview"] });
    expect(authorizeModel(k, azure, "gpt-4o")).toBeUndefined();
    expect(authorizeModel(k, azure, "gpt-4o-preview")?.message).toBe('model "azure-eastus/gpt-4o-preview" is blocked for virtual key "nb"');
  });
  it("checks status, expiry and the rotation grace period", () => {
    const now = Date.parse("2026-06-01T00:00:00Z");
    expect(keyUsable(key(), now)).toBeUndefined();
    expect(keyUsable(key({ status: "revoked" }), now)?.code).toBe("key_revoked");
    expect(keyUsable(key({ status: "disabled" }), now)?.code).toBe("key_disabled");
    expect(keyUsable(key({ expiresAt: now }), now)?.code).toBe("key_expired");
    expect(keyUsable(key({ graceExpiresAt: now + 1 }), now)).toBeUndefined();
    expect(keyUsable(key({ graceExpiresAt: now - 1 }), now)?.message).toMatch(/grace period ended/);
  });
});

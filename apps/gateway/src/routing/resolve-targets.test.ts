import { describe, expect, it } from "vitest";
import type { PortcullisError } from "@portcullis/core";
import { buildSnapshot } from "../testing/harness";
import { chooseWeighted, parseModelRef, resolveTargets } from "./resolve-targets";

const snapshot = buildSnapshot(
  [
    { name: "openai", type: "openai", credential: "env://A", models: ["gpt-4o", "gpt-4o-mini"] },
    { name: "openai-dev", type: "openai", credential: "env://B", models: ["gpt-4o"], environment: "dev" },
    { name: "azure-eu", type: "azure-openai", credential: "env://C", models: ["gpt-4o"], deployments: { "gpt-4o": "gpt4o-eu" }, weight: 3 },
    { name: "claude", type: "anthropic", credential: "env://D" },
  ],
  [{ plaintext: "unused-0000000000000" }],
  { aliases: { "gpt-default": { alias: "gpt-default", provider: "azure-eu", model: "gpt-4o" } } },
);
const key = Object.values(snapshot.keys)[0]!;
const err = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e as PortcullisError;
  }
  throw new Error("expected an error");
};

describe("target resolution", () => {
  it("parses provider prefixes by name or type and leaves other slashes in the model", () => {
    expect(parseModelRef(snapshot, "azure-eu/gpt-4o")).toEqual({ provider: "azure-eu", model: "gpt-4o" });
    expect(parseModelRef(snapshot, "anthropic/claude-sonnet-4-5")).toEqual({ provider: "anthropic", model: "claude-sonnet-4-5" });
    expect(parseModelRef(snapshot, "meta-llama/Llama-3.3-70B")).toEqual({ model: "meta-llama/Llama-3.3-70B" });
    expect(parseModelRef(snapshot, "gpt-default")).toEqual({ provider: "azure-eu", model: "gpt-4o" });
  });

  it("finds every key of the key's environment serving a bare model, with deployments", () => {
    const t = resolveTargets(snapshot, key, "gpt-4o");
    expect(t.map((x) => `${x.provider.name}:${x.upstreamModel}`).sort()).toEqual(["azure-eu:gpt4o-eu", "openai:gpt-4o"]);
  });

  it("never reaches another environment's credentials", () => {
    const e = err(() => resolveTargets(snapshot, key, "openai-dev/gpt-4o"));
    expect(e.code).toBe("model_not_found");
    expect(e.message).toContain("prod environment");
    const dev = resolveTargets(snapshot, { ...key, environment: "dev" }, "gpt-4o");
    expect(dev.map((t) => t.provider.name)).toEqual(["openai-dev"]);
  });

  it("serves catalog models from a key that lists none, and 404s unknown models", () => {
    expect(resolveTargets(snapshot, key, "claude-sonnet-4-5").map((t) => t.provider.name)).toEqual(["claude"]);
    const e = err(() => resolveTargets(snapshot, key, "gpt-nope"));
    expect(e.code).toBe("model_not_found");
    expect(e.status).toBe(404);
  });

  it("403s a known model the key may not use, naming the policy; bindings narrow the keys", () => {
    const e = err(() => resolveTargets(snapshot, { ...key, allowedModels: ["openai/gpt-4o-mini"] }, "gpt-4o"));
    expect(e.code).toBe("model_not_allowed");
    expect(e.message).toContain("gpt-4o");
    const bound = resolveTargets(snapshot, { ...key, providerKeyIds: ["pk_2"] }, "gpt-4o");
    expect(bound.map((t) => t.provider.name)).toEqual(["azure-eu"]);
  });

  it("chooses by weight", () => {
    const t = resolveTargets(snapshot, key, "gpt-4o");
    const azure = t.find((x) => x.provider.name === "azure-eu")!;
    const openai = t.find((x) => x.provider.name === "openai")!;
    expect(chooseWeighted([openai, azure], () => 0.2)).toBe(openai);
    expect(chooseWeighted([openai, azure], () => 0.3)).toBe(azure);
  });
});

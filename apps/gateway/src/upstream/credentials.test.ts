import { describe, expect, it } from "vitest";
import { createSecretResolver } from "@portcullis/secrets";
import { buildSnapshot } from "../testing/harness";
import { buildTarget, createVertexTokens } from "./credentials";

const snapshot = buildSnapshot(
  [
    { name: "az", type: "azure-openai", baseUrl: "https://x.openai.azure.com", credential: "env://AZ" },
    { name: "br", type: "bedrock", region: "eu-west-1", credential: "env://AWS" },
  ],
  [],
);
const target = (i: number) => ({
  provider: Object.values(snapshot.providers)[i]!, providerKey: Object.values(snapshot.providerKeys)[i]!, model: "m", upstreamModel: "m",
});
const tokens = createVertexTokens(Date.now);

describe("upstream credentials", () => {
  it("maps Azure api-keys and Entra tokens", async () => {
    const key = await buildTarget(target(0), createSecretResolver({ env: { AZ: "abc123" } }), tokens);
    expect(key.credentials).toEqual({ kind: "api-key", apiKey: "abc123" });
    const entra = await buildTarget(target(0), createSecretResolver({ env: { AZ: "Bearer eyJ0eXAi" } }), tokens);
    expect(entra.credentials).toEqual({ kind: "bearer", token: "eyJ0eXAi" });
  });
  it("reads AWS keys as JSON or colon-separated, and names the key and reference on failure", async () => {
    const t = await buildTarget(target(1), createSecretResolver({ env: { AWS: "AKID:SECRET:TOKEN" } }), tokens);
    expect(t).toMatchObject({ region: "eu-west-1", credentials: { kind: "aws", accessKeyId: "AKID", secretAccessKey: "SECRET", sessionToken: "TOKEN" } });
    await expect(buildTarget(target(1), createSecretResolver({ env: {} }), tokens)).rejects.toThrow('provider key "br/main" has unusable credentials: cannot resolve secret env://AWS');
    await expect(buildTarget(target(1), createSecretResolver({ env: { AWS: "nope" } }), tokens)).rejects.toThrow(/expected \{accessKeyId/);
  });
});

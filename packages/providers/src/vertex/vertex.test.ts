import { generateKeyPairSync, createVerify } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Target } from "../types";
import { buildJwtAssertion, buildTokenRequestBody, parseServiceAccountKey, parseTokenResponse } from "./auth";
import { vertexAdapter } from "./index";
import { TokenCache } from "./token-cache";

const target: Target = {
  provider: "vertex", baseUrl: "", model: "gemini-2.0-flash-001", region: "europe-west4", project: "acme-prod",
  credentials: { kind: "gcp-token", accessToken: "ya29.token" },
};
const ctx = { now: new Date("2025-01-01T00:00:00Z"), requestId: "req_v" };

describe("vertex buildChatRequest", () => {
  it("uses the Gemini body on the regional publisher URL with a bearer token", () => {
    const up = vertexAdapter.chat.buildChatRequest({ model: "g", messages: [{ role: "user", content: "hi" }], max_tokens: 5 }, target, ctx);
    expect(up.url).toBe("https://europe-west4-aiplatform.googleapis.com/v1/projects/acme-prod/locations/europe-west4/publishers/google/models/gemini-2.0-flash-001:generateContent");
    expect(up.headers).toEqual({ "content-type": "application/json", accept: "application/json", authorization: "Bearer ya29.token" });
    expect(JSON.parse(up.body as string)).toEqual({ contents: [{ role: "user", parts: [{ text: "hi" }] }], generationConfig: { maxOutputTokens: 5 } });
    const stream = vertexAdapter.chat.buildChatRequest({ model: "g", messages: [], stream: true }, { ...target, region: "global" }, ctx);
    expect(stream.url).toBe("https://aiplatform.googleapis.com/v1/projects/acme-prod/locations/global/publishers/google/models/gemini-2.0-flash-001:streamGenerateContent?alt=sse");
  });

  it("needs a project and a token", () => {
    expect(() => vertexAdapter.chat.buildChatRequest({ model: "g", messages: [] }, { ...target, project: undefined }, ctx)).toThrow(/project/);
    expect(() => vertexAdapter.chat.buildChatRequest({ model: "g", messages: [] }, { ...target, credentials: { kind: "api-key", apiKey: "x" } }, ctx)).toThrow(/access token/);
  });

  it("builds :predict embeddings and reads token statistics", () => {
    const up = vertexAdapter.embeddings!.buildEmbeddingRequest({ model: "e", input: ["a", "b"], dimensions: 3 }, { ...target, model: "text-embedding-005" }, ctx);
    expect(up.url).toMatch(/publishers\/google\/models\/text-embedding-005:predict$/);
    expect(JSON.parse(up.body as string)).toEqual({ instances: [{ content: "a" }, { content: "b" }], parameters: { outputDimensionality: 3 } });
    const res = vertexAdapter.embeddings!.parseEmbeddingResponse(new TextEncoder().encode(JSON.stringify({
      predictions: [{ embeddings: { values: [0.5, 1], statistics: { token_count: 2 } } }, { embeddings: { values: [0, 0.25], statistics: { token_count: 3 } } }],
    })), { ...target, model: "text-embedding-005" }, { model: "e", input: ["a", "b"], encoding_format: "base64" });
    expect(res.usage).toEqual({ prompt_tokens: 5, total_tokens: 5 });
    expect(Buffer.from(res.data[0]!.embedding as string, "base64")).toEqual(Buffer.from(new Float32Array([0.5, 1]).buffer));
  });
});

describe("service-account auth", () => {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const key = parseServiceAccountKey(JSON.stringify({
    type: "service_account", project_id: "acme", private_key_id: "kid-1", client_email: "gw@acme.iam.gserviceaccount.com",
    private_key: privateKey.export({ type: "pkcs8", format: "pem" }).toString(), token_uri: "https://oauth2.googleapis.com/token",
  }));

  it("builds an RS256 JWT assertion the key's public half verifies", () => {
    const jwt = buildJwtAssertion(key, { now: new Date("2025-01-01T00:00:00Z") });
    const [h, c, s] = jwt.split(".");
    const decode = (p: string) => JSON.parse(Buffer.from(p, "base64url").toString("utf8"));
    expect(decode(h!)).toEqual({ alg: "RS256", typ: "JWT", kid: "kid-1" });
    expect(decode(c!)).toEqual({
      iss: "gw@acme.iam.gserviceaccount.com", scope: "https://www.googleapis.com/auth/cloud-platform",
      aud: "https://oauth2.googleapis.com/token", iat: 1735689600, exp: 1735693200,
    });
    expect(createVerify("RSA-SHA256").update(`${h}.${c}`).verify(publicKey, Buffer.from(s!, "base64url"))).toBe(true);
    expect(createVerify("RSA-SHA256").update(`${h}.${c}x`).verify(publicKey, Buffer.from(s!, "base64url"))).toBe(false);
  });

  it("encodes the jwt-bearer grant and parses the token answer", () => {
    expect(buildTokenRequestBody("a.b.c")).toBe("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=a.b.c");
    expect(parseTokenResponse('{"access_token":"ya29.x","expires_in":3599,"token_type":"Bearer"}', new Date(0)))
      .toEqual({ accessToken: "ya29.x", expiresAt: new Date(3_599_000) });
    expect(() => parseTokenResponse('{"error":"invalid_grant","error_description":"Invalid JWT Signature."}', new Date(0)))
      .toThrow("token endpoint refused: invalid_grant: Invalid JWT Signature.");
  });

  it("rejects keys that are not service-account keys", () => {
    expect(() => parseServiceAccountKey({ client_email: "a@b" })).toThrow(/private_key/);
    expect(() => parseServiceAccountKey({ type: "authorized_user", client_email: "a", private_key: "k" })).toThrow(/not a service account/);
    expect(parseServiceAccountKey({ client_email: "a", private_key: "k" }).token_uri).toBe("https://oauth2.googleapis.com/token");
  });
});

describe("TokenCache", () => {
  function setup() {
    let now = new Date("2025-01-01T00:00:00Z");
    let calls = 0;
    const cache = new TokenCache({
      clock: () => now,
      fetcher: async (k) => {
        calls++;
        return { accessToken: `${k}-${calls}`, expiresAt: new Date(now.getTime() + 3600_000) };
      },
    });
    return { cache, advance: (s: number) => { now = new Date(now.getTime() + s * 1000); }, calls: () => calls };
  }

  it("serves the cached token until five minutes before expiry, then refreshes", async () => {
    const t = setup();
    expect(await t.cache.get("sa")).toBe("sa-1");
    t.advance(3600 - 301);
    expect(await t.cache.get("sa")).toBe("sa-1");
    t.advance(2);
    expect(await t.cache.get("sa")).toBe("sa-2");
    expect(t.calls()).toBe(2);
  });

  it("shares one fetch between concurrent callers and keys tokens apart", async () => {
    const t = setup();
    const [a, b, c] = await Promise.all([t.cache.get("x"), t.cache.get("x"), t.cache.get("y")]);
    expect([a, b, c]).toEqual(["x-1", "x-1", "y-2"]);
    expect(t.calls()).toBe(2);
  });

  it("does not cache failures and can drop a rejected token", async () => {
    let fail = true;
    const cache = new TokenCache({
      clock: () => new Date(0),
      fetcher: async () => {
        if (fail) throw new Error("network down");
        return { accessToken: "ok", expiresAt: new Date(3600_000) };
      },
    });
    await expect(cache.get("k")).rejects.toThrow("network down");
    fail = false;
    expect(await cache.get("k")).toBe("ok");
    cache.invalidate("k");
    fail = true;
    await expect(cache.get("k")).rejects.toThrow("network down");
  });
});

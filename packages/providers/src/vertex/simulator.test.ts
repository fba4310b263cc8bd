// Vertex end to end: service-account JWT -> simulator token endpoint -> bearer-checked generateContent.
import type { ChatChunk } from "@portcullis/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startVertexSimulator, type VertexSimulatorHandle } from "@portcullis/testkit";
import type { Target } from "../types";
import { parseServiceAccountKey } from "./auth";
import { vertexAdapter } from "./index";
import { TokenCache } from "./token-cache";
import { fetchServiceAccountToken } from "./token-fetcher";

let sim: VertexSimulatorHandle;
beforeAll(async () => {
  sim = await startVertexSimulator({ project: "acme" });
});
afterAll(() => sim.close());

const ctx = { now: new Date("2025-01-01T00:00:00Z"), requestId: "req_vsim" };
const targetWith = (token: string, project = "acme"): Target => ({
  provider: "vertex", baseUrl: sim.url, model: "gemini-2.0-flash-001", region: "us-central1", project, credentials: { kind: "gcp-token", accessToken: token },
});

describe("vertex adapter against the simulator", () => {
  it("gets a token with a signed JWT and calls generateContent with it", async () => {
    const key = parseServiceAccountKey(JSON.stringify(sim.serviceAccountKey));
    const cache = new TokenCache({ clock: () => new Date(), fetcher: () => fetchServiceAccountToken(key) });
    const token = await cache.get("sa");
    expect(token).toMatch(/^ya29\.sim-/);
    expect(await cache.get("sa")).toBe(token);
    expect(sim.requests.filter((r) => r.path === "/token")).toHaveLength(1);

    const t = targetWith(token);
    const up = vertexAdapter.chat.buildChatRequest({ model: "v", messages: [{ role: "user", content: "hola mundo" }] }, t, ctx);
    const res = await fetch(up.url, { method: up.method, headers: up.headers, body: up.body });
    expect(res.status).toBe(200);
    const out = vertexAdapter.chat.parseChatResponse(new Uint8Array(await res.arrayBuffer()), t, ctx);
    expect(out.choices[0]!.message.content).toBe("Echo: hola mundo");

    const r = { model: "v", messages: [{ role: "user" as const, content: "uno dos" }], stream: true };
    const s = vertexAdapter.chat.buildChatRequest(r, t, ctx);
    const sres = await fetch(s.url, { method: s.method, headers: s.headers, body: s.body });
    const d = vertexAdapter.chat.createStreamDecoder(t, r, ctx);
    const chunks: ChatChunk[] = [];
    for await (const part of sres.body!) chunks.push(...d.push(part as Uint8Array));
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? "").join("")).toBe("Echo: uno dos");
    expect(d.end().complete).toBe(true);
    expect(d.usage()).toEqual({ prompt_tokens: 2, completion_tokens: 4, total_tokens: 6 });
  });

  it("refuses an assertion signed by another key", async () => {
    const { generateKeyPairSync } = await import("node:crypto");
    const other = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const key = parseServiceAccountKey({ ...sim.serviceAccountKey, private_key: other });
    await expect(fetchServiceAccountToken(key)).rejects.toThrow("service account token request failed: HTTP 400 invalid_grant: Invalid JWT Signature.");
  });

  it("answers 401 UNAUTHENTICATED to an unknown token and 403 to another project", async () => {
    const call = async (t: Target) => {
      const up = vertexAdapter.chat.buildChatRequest({ model: "v", messages: [{ role: "user", content: "x" }] }, t, ctx);
      const res = await fetch(up.url, { method: up.method, headers: up.headers, body: up.body });
      return vertexAdapter.chat.parseError(res.status, res.headers, new Uint8Array(await res.arrayBuffer()));
    };
    expect(await call(targetWith("ya29.forged"))).toMatchObject({ status: 401, type: "UNAUTHENTICATED" });
    const token = await fetchServiceAccountToken(parseServiceAccountKey(sim.serviceAccountKey as unknown as Record<string, unknown>));
    expect(await call(targetWith(token.accessToken, "other"))).toMatchObject({ status: 403, type: "PERMISSION_DENIED" });
  });

  it("embeds through predict", async () => {
    const token = (await fetchServiceAccountToken(parseServiceAccountKey(sim.serviceAccountKey as unknown as Record<string, unknown>))).accessToken;
    const t = { ...targetWith(token), model: "text-embedding-005" };
    const req = { model: "e", input: ["alpha beta", "gamma"] };
    const up = vertexAdapter.embeddings!.buildEmbeddingRequest(req, t, ctx);
    const res = await fetch(up.url, { method: up.method, headers: up.headers, body: up.body });
    const out = vertexAdapter.embeddings!.parseEmbeddingResponse(new Uint8Array(await res.arrayBuffer()), t, req);
    expect(out.usage).toEqual({ prompt_tokens: 5, total_tokens: 5 });
    expect(out.data).toHaveLength(2);
  });
});

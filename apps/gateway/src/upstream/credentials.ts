import { PortcullisError } from "@portcullis/core";
import { parseServiceAccountKey, TokenCache, type Credentials, type Target } from "@portcullis/providers";
import { fetchServiceAccountToken } from "@portcullis/providers/vertex/token-fetcher";
import type { SecretResolver } from "@portcullis/secrets";
import type { ResolvedTarget } from "../routing/resolve-targets";

/** Vertex service-account tokens, cached until shortly before they expire; one cache per gateway. */
export function createVertexTokens(now: () => number): TokenCache {
  return new TokenCache({
    clock: () => new Date(now()),
    fetcher: (serviceAccountJson) => fetchServiceAccountToken(parseServiceAccountKey(serviceAccountJson), { now: () => new Date(now()) }),
  });
}

function awsCredentials(secret: string): Credentials {
  const trimmed = secret.trim();
  if (trimmed.startsWith("{")) {
    const j = JSON.parse(trimmed) as { accessKeyId?: string; secretAccessKey?: string; sessionToken?: string };
    if (j.accessKeyId && j.secretAccessKey) {
      return { kind: "aws", accessKeyId: j.accessKeyId, secretAccessKey: j.secretAccessKey, ...(j.sessionToken ? { sessionToken: j.sessionToken } : {}) };
    }
  } else {
    const [accessKeyId, secretAccessKey, sessionToken] = trimmed.split(":");
    if (accessKeyId && secretAccessKey) return { kind: "aws", accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
  }
  throw new Error("expected {accessKeyId, secretAccessKey[, sessionToken]} JSON or ACCESS_KEY_ID:SECRET_ACCESS_KEY[:SESSION_TOKEN]");
}

/**
 * The upstream address and credentials for a resolved target. Secrets come from the
 * resolver's TTL cache; an error names the provider key and the reference, never a value.
 */
export async function buildTarget(resolved: ResolvedTarget, secrets: SecretResolver, vertexTokens: TokenCache): Promise<Target> {
  const { provider, providerKey } = resolved;
  const fail = (reason: string) =>
    new PortcullisError({ code: "upstream_unavailable", message: `provider key "${provider.name}/${providerKey.name}" has unusable credentials: ${reason}` });
  let credentials: Credentials = { kind: "none" };
  if (providerKey.credential && providerKey.credential !== "none://") {
    let secret: string;
    try {
      secret = await secrets.resolve(providerKey.credential);
    } catch (e) {
      throw fail((e as Error).message);
    }
    try {
      if (provider.type === "bedrock") credentials = awsCredentials(secret);
      else if (provider.type === "vertex") {
        credentials = { kind: "gcp-token", accessToken: secret.trim().startsWith("{") ? await vertexTokens.get(secret) : secret.trim() };
      } else if (provider.type === "azure-openai" && /^Bearer\s+/i.test(secret)) {
        // A Microsoft Entra access token (stored as "Bearer <token>") instead of an api-key.
        credentials = { kind: "bearer", token: secret.replace(/^Bearer\s+/i, "").trim() };
      } else credentials = { kind: "api-key", apiKey: secret };
    } catch (e) {
      if (e instanceof PortcullisError) throw e;
      throw fail((e as Error).message);
    }
  }
  const region = providerKey.region ?? provider.region;
  return {
    provider: provider.type as Target["provider"],
    baseUrl: provider.baseUrl ?? "",
    model: resolved.upstreamModel,
    credentials,
    ...(region ? { region } : {}),
    ...(provider.apiVersion ? { apiVersion: provider.apiVersion } : {}),
    ...(provider.project ? { project: provider.project } : {}),
    ...(Object.keys(provider.headers).length ? { headers: provider.headers } : {}),
  };
}

/**
 * Google service-account auth, pure part: the RS256-signed JWT assertion for
 * the OAuth 2.0 JWT-bearer grant, the token request body, the token response,
 * and a cache that refreshes shortly before expiry. The HTTP call itself is
 * passed in (see token-fetcher.ts).
 */
import { createSign } from "node:crypto";

export const cloudPlatformScope = "https://www.googleapis.com/auth/cloud-platform";
export const defaultTokenUri = "https://oauth2.googleapis.com/token";
export const jwtBearerGrantType = "urn:ietf:params:oauth:grant-type:jwt-bearer";

export interface ServiceAccountKey {
  client_email: string;
  private_key: string;
  private_key_id?: string;
  token_uri: string;
  project_id?: string;
}

/** Validates the fields we use from a service-account JSON key file (string or parsed). */
export function parseServiceAccountKey(input: string | Record<string, unknown>): ServiceAccountKey {
  const v = typeof input === "string" ? (JSON.parse(input) as Record<string, unknown>) : input;
  const str = (k: string) => (typeof v[k] === "string" && v[k] !== "" ? (v[k] as string) : undefined);
  const clientEmail = str("client_email");
  const privateKey = str("private_key");
  if (!clientEmail || !privateKey) throw new Error("service account key needs client_email and private_key");
  if (v.type !== undefined && v.type !== "service_account") throw new Error(`not a service account key (type "${String(v.type)}")`);
  const key: ServiceAccountKey = { client_email: clientEmail, private_key: privateKey, token_uri: str("token_uri") ?? defaultTokenUri };
  const keyId = str("private_key_id");
  if (keyId) key.private_key_id = keyId;
  const project = str("project_id");
  if (project) key.project_id = project;
  return key;
}

export interface AssertionOptions {
  now: Date;
  scope?: string;
  /** Lifetime in seconds; Google accepts at most 3600. */
  lifetimeSeconds?: number;
}

export function buildJwtAssertion(key: ServiceAccountKey, opts: AssertionOptions): string {
  const iat = Math.floor(opts.now.getTime() / 1000);
  const header: Record<string, string> = { alg: "RS256", typ: "JWT" };
  if (key.private_key_id) header.kid = key.private_key_id;
  const claims = {
    iss: key.client_email,
    scope: opts.scope ?? cloudPlatformScope,
    aud: key.token_uri,
    iat,
    exp: iat + Math.min(opts.lifetimeSeconds ?? 3600, 3600),
  };
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  const signature = createSign("RSA-SHA256").update(signingInput).sign(key.private_key);
  return `${signingInput}.${base64url(signature)}`;
}

/** The `application/x-www-form-urlencoded` body POSTed to `token_uri`. */
export function buildTokenRequestBody(assertion: string): string {
  return new URLSearchParams({ grant_type: jwtBearerGrantType, assertion }).toString();
}

export interface AccessToken {
  accessToken: string;
  /** Absolute expiry. */
  expiresAt: Date;
}

/** Parses the token endpoint's answer; throws with the OAuth error on a failure body. */
export function parseTokenResponse(body: string, now: Date): AccessToken {
  const v = JSON.parse(body) as { access_token?: unknown; expires_in?: unknown; error?: unknown; error_description?: unknown };
  if (typeof v.access_token !== "string" || v.access_token === "") {
    const reason = typeof v.error === "string" ? `${v.error}${typeof v.error_description === "string" ? `: ${v.error_description}` : ""}` : "no access_token";
    throw new Error(`token endpoint refused: ${reason}`);
  }
  const expiresIn = typeof v.expires_in === "number" ? v.expires_in : Number(v.expires_in ?? 3600);
  return { accessToken: v.access_token, expiresAt: new Date(now.getTime() + expiresIn * 1000) };
}

export function base64url(data: string | Uint8Array): string {
  return Buffer.from(data).toString("base64").replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

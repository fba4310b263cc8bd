/**
 * The simulator's OAuth 2.0 token endpoint for the JWT-bearer grant: it checks
 * the RS256 assertion with the service account's public key and the claims
 * Google checks (iss, aud, scope, a short-lived iat/exp window), then issues
 * an opaque access token.
 */
import { createPublicKey, createVerify, generateKeyPairSync, randomBytes, type KeyObject } from "node:crypto";

export interface SimServiceAccount {
  clientEmail: string;
  publicKey: KeyObject;
}

export interface ServiceAccountJson {
  type: "service_account";
  project_id: string;
  private_key_id: string;
  private_key: string;
  client_email: string;
  client_id: string;
  token_uri: string;
}

export type TokenResult =
  | { ok: true; accessToken: string; expiresIn: number }
  | { ok: false; status: number; error: string; description: string };

/** A fresh RSA key pair as a service-account key file pointing at `tokenUri`. */
export function generateServiceAccount(tokenUri: string, project = "sim-project"): { json: ServiceAccountJson; account: SimServiceAccount } {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const clientEmail = `portcullis-sim@${project}.iam.gserviceaccount.com`;
  return {
    json: {
      type: "service_account",
      project_id: project,
      private_key_id: randomBytes(20).toString("hex"),
      private_key: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
      client_email: clientEmail,
      client_id: "100000000000000000001",
      token_uri: tokenUri,
    },
    account: { clientEmail, publicKey },
  };
}

export function publicKeyFromPem(pem: string): KeyObject {
  return createPublicKey(pem);
}

const invalidGrant = (description: string): TokenResult => ({ ok: false, status: 400, error: "invalid_grant", description });

export function exchangeAssertion(form: URLSearchParams, accounts: SimServiceAccount[], audience: string, now: Date, ttlSeconds: number): TokenResult {
  const grant = form.get("grant_type");
  if (grant !== "urn:ietf:params:oauth:grant-type:jwt-bearer") {
    return { ok: false, status: 400, error: "unsupported_grant_type", description: `Invalid grant_type: ${grant ?? ""}` };
  }
  const parts = (form.get("assertion") ?? "").split(".");
  if (parts.length !== 3) return invalidGrant("Invalid JWT: Malformed token.");
  const [h, c, s] = parts as [string, string, string];
  let header: { alg?: string };
  let claims: { iss?: string; aud?: string; scope?: string; iat?: number; exp?: number };
  try {
    header = JSON.parse(Buffer.from(h, "base64url").toString("utf8")) as typeof header;
    claims = JSON.parse(Buffer.from(c, "base64url").toString("utf8")) as typeof claims;
  } catch {
    return invalidGrant("Invalid JWT: Malformed token.");
  }
  if (header.alg !== "RS256") return invalidGrant("Invalid JWT: Unsupported algorithm.");
  const account = accounts.find((a) => a.clientEmail === claims.iss);
  if (!account) return invalidGrant("Invalid grant: account not found");
  if (!createVerify("RSA-SHA256").update(`${h}.${c}`).verify(account.publicKey, Buffer.from(s, "base64url"))) {
    return invalidGrant("Invalid JWT Signature.");
  }
  if (claims.aud !== audience) return invalidGrant(`Invalid JWT: Failed audience check. The right audience is ${audience}`);
  const nowS = Math.floor(now.getTime() / 1000);
  const { iat, exp } = claims;
  if (typeof iat !== "number" || typeof exp !== "number" || exp - iat > 3600 || exp <= nowS || iat > nowS + 300) {
    return invalidGrant("Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.");
  }
  if (!claims.scope?.split(" ").includes("https://www.googleapis.com/auth/cloud-platform")) {
    return { ok: false, status: 400, error: "invalid_scope", description: "Invalid OAuth scope or ID token audience provided." };
  }
  return { ok: true, accessToken: `ya29.sim-${randomBytes(24).toString("base64url")}`, expiresIn: ttlSeconds };
}

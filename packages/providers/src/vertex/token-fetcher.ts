/**
 * The one I/O piece of Vertex auth: exchanges a service-account JWT assertion
 * for an access token at the key's `token_uri` (global fetch). Listed in the
 * ESLint purity exceptions.
 */
import { buildJwtAssertion, buildTokenRequestBody, parseTokenResponse, type AccessToken, type ServiceAccountKey } from "./auth";

export interface FetchTokenOptions {
  now?: () => Date;
  scope?: string;
  timeoutMs?: number;
}

export async function fetchServiceAccountToken(key: ServiceAccountKey, opts: FetchTokenOptions = {}): Promise<AccessToken> {
  const now = opts.now ?? (() => new Date());
  const assertion = buildJwtAssertion(key, { now: now(), scope: opts.scope });
  const res = await fetch(key.token_uri, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
    body: buildTokenRequestBody(assertion),
    signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
  });
  const text = await res.text();
  if (!res.ok) {
    let reason = `HTTP ${res.status}`;
    try {
      const v = JSON.parse(text) as { error?: string; error_description?: string };
      if (v.error) reason += ` ${v.error}${v.error_description ? `: ${v.error_description}` : ""}`;
    } catch {
      // non-JSON failure body: the status says enough
    }
    throw new Error(`service account token request failed: ${reason}`);
  }
  return parseTokenResponse(text, now());
}

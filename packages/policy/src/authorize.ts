import type { CompiledKey, CompiledProvider } from "@portcullis/core";

/** Endpoint names used in allow-lists. */
export type EndpointName = "chat" | "embeddings" | "responses" | "messages" | "count_tokens" | "models";

/** `*` matches any run of characters; everything else is literal. */
export function globMatch(pattern: string, value: string): boolean {
  if (pattern === "*") return true;
  if (!pattern.includes("*")) return pattern === value;
  const parts = pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${parts.join(".*")}$`).test(value);
}

export type Denial =
  | { code: "endpoint_not_allowed"; message: string }
  | { code: "provider_not_allowed"; message: string }
  | { code: "model_not_allowed"; message: string };

const list = (xs: string[]) => (xs.length ? xs.join(", ") : "none");

/** Endpoint allow-list: deny by default (an empty list allows nothing), `*` allows all. */
export function authorizeEndpoint(key: CompiledKey, endpoint: EndpointName): Denial | undefined {
  if (key.allowedEndpoints.some((p) => globMatch(p, endpoint))) return undefined;
  return { code: "endpoint_not_allowed", message: `virtual key "${key.name}" may not use the ${endpoint} endpoint (allowed: ${list(key.allowedEndpoints)})` };
}

/**
 * Provider and model allow-lists, deny by default; the block list wins. Providers
 * match by configured name or by type; models match as `provider/model` (name or
 * type) or as the bare model id.
 */
export function authorizeModel(key: CompiledKey, provider: Pick<CompiledProvider, "name" | "type">, model: string): Denial | undefined {
  const providerOk = key.allowedProviders.some((p) => p === "*" || p === provider.name || p === provider.type);
  if (!providerOk) {
    return { code: "provider_not_allowed", message: `virtual key "${key.name}" may not use provider "${provider.name}" (allowed: ${list(key.allowedProviders)})` };
  }
  const names = [`${provider.name}/${model}`, `${provider.type}/${model}`, model];
  const hit = (patterns: string[]) => patterns.some((p) => names.some((n) => globMatch(p, n)));
  if (hit(key.blockedModels)) {
    return { code: "model_not_allowed", message: `model "${provider.name}/${model}" is blocked for virtual key "${key.name}"` };
  }
  if (!hit(key.allowedModels)) {
    return { code: "model_not_allowed", message: `virtual key "${key.name}" may not use model "${provider.name}/${model}" (allowed: ${list(key.allowedModels)})` };
  }
  return undefined;
}

/** Key status, expiry and rotation grace at `now`. */
export function keyUsable(key: CompiledKey, now: number): { code: "key_revoked" | "key_disabled" | "key_expired"; message: string } | undefined {
  if (key.status === "revoked") return { code: "key_revoked", message: `virtual key ${key.prefix}… has been revoked` };
  if (key.status === "disabled") return { code: "key_disabled", message: `virtual key ${key.prefix}… is disabled` };
  if (key.expiresAt !== null && key.expiresAt <= now) return { code: "key_expired", message: `virtual key ${key.prefix}… expired at ${new Date(key.expiresAt).toISOString()}` };
  if (key.graceExpiresAt !== null && key.graceExpiresAt <= now) {
    return { code: "key_expired", message: `virtual key ${key.prefix}… was rotated; its grace period ended at ${new Date(key.graceExpiresAt).toISOString()}` };
  }
  return undefined;
}

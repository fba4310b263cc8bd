import type { Context, MiddlewareHandler } from "hono";
import { importSPKI, jwtVerify, decodeProtectedHeader, type CryptoKey as JoseKey } from "jose";
import { PortcullisError, type CompiledTenantPolicy, type ConfigSnapshot } from "@portcullis/core";

const patterns = new WeakMap<ConfigSnapshot, Map<string, RegExp>>();

/** Anchored: the whole header value must match. Compiled once per snapshot. */
function patternOf(snapshot: ConfigSnapshot, policy: CompiledTenantPolicy): RegExp {
  let m = patterns.get(snapshot);
  if (!m) patterns.set(snapshot, (m = new Map()));
  let re = m.get(policy.name);
  if (!re) m.set(policy.name, (re = new RegExp(`^(?:${policy.value ?? ".*"})$`)));
  return re;
}

const keyCache = new Map<string, Promise<Uint8Array | JoseKey>>();

async function verificationKey(c: Context, ref: string, alg: string): Promise<Uint8Array | JoseKey> {
  const cacheKey = `${ref}|${alg}`;
  let key = keyCache.get(cacheKey);
  if (!key) {
    key = (async () => {
      const material = await c.get("services").secrets.resolve(ref);
      return alg.startsWith("HS") ? new TextEncoder().encode(material) : importSPKI(material, alg);
    })();
    keyCache.set(cacheKey, key);
    key.catch(() => keyCache.delete(cacheKey));
  }
  return key;
}

async function tenantFromJwt(c: Context, policy: CompiledTenantPolicy, token: string): Promise<string> {
  const invalid = (why: string) => new PortcullisError({ code: "tenant_header_invalid", message: `header ${policy.headerName}: ${why}`, param: policy.headerName });
  let alg: string;
  try {
    alg = decodeProtectedHeader(token).alg ?? "";
  } catch {
    throw invalid("not a JWT");
  }
  if (!alg || alg === "none") throw invalid("unsigned token");
  let key: Uint8Array | JoseKey;
  try {
    key = await verificationKey(c, policy.jwtKeyRef!, alg);
  } catch (e) {
    // The gateway's own configuration is at fault, not the caller's token.
    throw new PortcullisError({ code: "not_ready", message: `tenant token verification key for ${policy.headerName} is unusable: ${(e as Error).message}` });
  }
  let payload: Record<string, unknown>;
  try {
    payload = (await jwtVerify(token, key, { clockTolerance: 30 })).payload;
  } catch (e) {
    throw invalid(`token rejected (${(e as { code?: string }).code ?? "verification failed"})`);
  }
  const claim = payload[policy.jwtClaim ?? "sub"];
  if (typeof claim !== "string" || !claim) throw invalid(`token has no "${policy.jwtClaim ?? "sub"}" claim`);
  return claim;
}

/**
 * Required headers (presence, exact value, anchored regex) and the tenant header: a
 * plain value or a signed tenant token (JWT) whose claim names the tenant. The tenant
 * joins the request's attribution and selects tenant-scoped limits.
 */
export function tenantHeaders(): MiddlewareHandler {
  return async function tenantHeadersHandler(c, next) {
    const { snapshot, key } = c.get("auth");
    for (const policy of snapshot.tenantPolicies) {
      const raw = c.req.header(policy.headerName);
      const deny = (code: "tenant_header_missing" | "tenant_header_invalid", message: string) => {
        c.get("services").events.decision(c, { action: "gateway.header_denied", outcome: "denied", keyId: key.id, reason: message, code });
        return new PortcullisError({ code, message, param: policy.headerName });
      };
      if (raw === undefined || raw === "") {
        if (policy.required) throw deny("tenant_header_missing", `missing required header ${policy.headerName}`);
        continue;
      }
      let value = raw;
      if (policy.jwtKeyRef) {
        try {
          value = await tenantFromJwt(c, policy, raw);
        } catch (e) {
          if (e instanceof PortcullisError && e.code === "not_ready") throw e;
          throw deny("tenant_header_invalid", (e as Error).message);
        }
      } else if (policy.validation === "exact" ? raw !== policy.value : !patternOf(snapshot, policy).test(raw)) {
        throw deny("tenant_header_invalid", `header ${policy.headerName} has a value that is not allowed`);
      }
      if (policy.isTenant) c.set("tenantId", value);
    }
    await next();
  };
}

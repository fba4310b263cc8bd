import type { Context, MiddlewareHandler } from "hono";
import { getConnInfo } from "@hono/node-server/conninfo";
import { PortcullisError, hashVirtualKey, isWellFormedVirtualKey, virtualKeyPrefix } from "@portcullis/core";
import { ipAllowed, keyUsable } from "@portcullis/policy";

/** The key as each SDK sends it: OpenAI's Bearer, Anthropic's x-api-key, Azure's api-key. */
export function presentedKey(c: Context): string | undefined {
  const auth = c.req.header("authorization");
  if (auth) {
    const m = /^Bearer\s+(.+)$/i.exec(auth.trim());
    if (m) return m[1]!.trim();
  }
  return c.req.header("x-api-key")?.trim() || c.req.header("api-key")?.trim() || undefined;
}

export function clientIp(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return undefined;
  }
}

/**
 * Authenticates the virtual key: HMAC under the pepper, one map lookup in the
 * snapshot, then status, expiry, rotation grace and IP rules. Failures are
 * recorded as decision events.
 */
export function virtualKeyAuth(): MiddlewareHandler {
  return async function virtualKeyAuthHandler(c, next) {
    const services = c.get("services");
    const snapshot = services.config.current();
    if (!snapshot) throw new PortcullisError({ code: "not_ready", message: "gateway has no configuration loaded yet" });
    const fail = (err: PortcullisError, keyId?: string) => {
      services.events.decision(c, { action: "gateway.auth_failed", outcome: "denied", keyId, reason: err.message, code: err.code });
      return err;
    };
    const presented = presentedKey(c);
    if (!presented) {
      throw fail(new PortcullisError({ code: "unauthenticated", message: "missing API key: send Authorization: Bearer <virtual key>, x-api-key or api-key" }));
    }
    if (presented.startsWith(virtualKeyPrefix) && !isWellFormedVirtualKey(presented)) {
      throw fail(new PortcullisError({ code: "invalid_key", message: "invalid API key (checksum mismatch)" }));
    }
    const key = snapshot.keys[hashVirtualKey(services.pepper, presented)];
    if (!key) throw fail(new PortcullisError({ code: "invalid_key", message: "invalid API key" }));
    const unusable = keyUsable(key, services.now());
    if (unusable) throw fail(new PortcullisError({ code: unusable.code, message: unusable.message }), key.id);
    if (key.ipAllowList.length) {
      const ip = clientIp(c);
      if (!ip || !ipAllowed(key.ipAllowList, ip)) {
        throw fail(new PortcullisError({ code: "ip_not_allowed", message: `virtual key "${key.name}" may not be used from ${ip ?? "an unknown address"}` }), key.id);
      }
    }
    c.set("auth", { key, snapshot });
    await next();
  };
}

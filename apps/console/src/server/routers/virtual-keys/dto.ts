import { microsToUsd } from "../../money";

type KeyRow = {
  id: string;
  name: string;
  description: string | null;
  prefix: string;
  status: "active" | "disabled" | "revoked";
  environment: "dev" | "staging" | "prod";
  teamId: string | null;
  customerId: string | null;
  allowedProviders: string[];
  allowedModels: string[];
  blockedModels: string[];
  allowedEndpoints: string[];
  ipAllowList: string[];
  expiresAt: Date | null;
  revokedAt: Date | null;
  graceExpiresAt: Date | null;
  rotatedFromId: string | null;
  lastUsedAt: Date | null;
  createdAt: Date;
  team?: { name: string; slug: string } | null;
  ownerUser?: { email: string } | null;
  bindings?: { providerKeyId: string; environment: string }[];
};

export type EffectiveKeyStatus = "active" | "grace" | "expired" | "revoked" | "disabled";

/** What the gateway would do with the key now: the stored status refined by expiry and rotation grace. */
export function effectiveStatus(k: Pick<KeyRow, "status" | "expiresAt" | "graceExpiresAt">, now: Date): EffectiveKeyStatus {
  if (k.status !== "active") return k.status;
  if (k.expiresAt && k.expiresAt <= now) return "expired";
  if (k.graceExpiresAt) return k.graceExpiresAt <= now ? "expired" : "grace";
  return "active";
}

export interface KeyLimits {
  budget: { limitUsd: number; period: string } | null;
  rateLimit: { rpm: number | null; tpm: number | null } | null;
}

/** A virtual key as the console and the API show it: never its hash, never its secret. */
export function toKeyDto(k: KeyRow, limits: KeyLimits, now: Date) {
  return {
    id: k.id,
    name: k.name,
    description: k.description,
    prefix: k.prefix,
    status: k.status,
    effectiveStatus: effectiveStatus(k, now),
    environment: k.environment,
    teamId: k.teamId,
    teamName: k.team?.name ?? null,
    customerId: k.customerId,
    ownerEmail: k.ownerUser?.email ?? null,
    allowedProviders: k.allowedProviders,
    allowedModels: k.allowedModels,
    blockedModels: k.blockedModels,
    allowedEndpoints: k.allowedEndpoints,
    ipAllowList: k.ipAllowList,
    expiresAt: k.expiresAt?.toISOString() ?? null,
    revokedAt: k.revokedAt?.toISOString() ?? null,
    graceExpiresAt: k.graceExpiresAt?.toISOString() ?? null,
    rotatedFromId: k.rotatedFromId,
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    createdAt: k.createdAt.toISOString(),
    providerKeyIds: (k.bindings ?? []).filter((b) => b.environment === k.environment).map((b) => b.providerKeyId),
    ...limits,
  };
}
export type KeyDto = ReturnType<typeof toKeyDto>;

type LimitRows = {
  budgets: { scopeId: string; limitMicros: bigint; period: string }[];
  rateLimits: { scopeId: string; rpm: number | null; tpm: number | null; windowSeconds: number }[];
};

/** The key-level budget and per-minute rate limit of each key id. */
export function limitsByKey(rows: LimitRows): (keyId: string) => KeyLimits {
  return (keyId) => {
    const b = rows.budgets.find((x) => x.scopeId === keyId);
    const r = rows.rateLimits.find((x) => x.scopeId === keyId && x.windowSeconds === 60);
    return {
      budget: b ? { limitUsd: microsToUsd(b.limitMicros), period: b.period } : null,
      rateLimit: r ? { rpm: r.rpm, tpm: r.tpm } : null,
    };
  };
}

type ProviderKeyRow = {
  id: string;
  name: string;
  providerId: string;
  environment: string;
  credentialRef: string | null;
  encryptedCredential: string | null;
  models: string[];
  deployments: unknown;
  weight: number;
  region: string | null;
  enabled: boolean;
  lastTestedAt: Date | null;
  lastTestError: string | null;
  createdAt: Date;
};

/** A provider key as shown: a reference is a pointer and is shown; an encrypted value never is. */
export function toProviderKeyDto(k: ProviderKeyRow) {
  const credentialKind = k.encryptedCredential ? "encrypted" : k.credentialRef && k.credentialRef !== "none://" ? "reference" : "none";
  return {
    id: k.id,
    name: k.name,
    providerId: k.providerId,
    environment: k.environment,
    credentialKind,
    credentialRef: credentialKind === "reference" ? k.credentialRef : null,
    models: k.models,
    deployments: (k.deployments ?? {}) as Record<string, string>,
    weight: k.weight,
    region: k.region,
    enabled: k.enabled,
    lastTestedAt: k.lastTestedAt?.toISOString() ?? null,
    lastTestError: k.lastTestError,
    createdAt: k.createdAt.toISOString(),
  } as const;
}
export type ProviderKeyDto = ReturnType<typeof toProviderKeyDto>;

type ProviderRow = {
  id: string;
  name: string;
  type: string;
  baseUrl: string | null;
  region: string | null;
  apiVersion: string | null;
  project: string | null;
  enabled: boolean;
  createdAt: Date;
  keys?: ProviderKeyRow[];
};

export function toProviderDto(p: ProviderRow) {
  return {
    id: p.id,
    name: p.name,
    type: p.type,
    baseUrl: p.baseUrl,
    region: p.region,
    apiVersion: p.apiVersion,
    project: p.project,
    enabled: p.enabled,
    createdAt: p.createdAt.toISOString(),
    keys: (p.keys ?? []).map(toProviderKeyDto),
  };
}

import type { ApiClient } from "../api-client";

/** A virtual key as the management API returns it (the fields the CLI prints or needs). */
export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  status: "active" | "disabled" | "revoked";
  effectiveStatus: string;
  environment: string;
  teamName: string | null;
  graceExpiresAt: string | null;
  rotatedFromId: string | null;
  createdAt: string;
}

interface KeyPage {
  items: ApiKey[];
  nextCursor: string | null;
}

async function listAll(client: ApiClient, search?: string): Promise<ApiKey[]> {
  const keys: ApiKey[] = [];
  let cursor: string | null = null;
  do {
    const q = new URLSearchParams({ limit: "200", ...(search ? { search } : {}), ...(cursor ? { cursor } : {}) });
    const page: KeyPage = await client.request<KeyPage>("GET", `/virtual-keys?${q}`);
    keys.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return keys;
}

/** The keys of that exact name the token can see, oldest first. */
async function keysNamed(client: ApiClient, name: string): Promise<ApiKey[]> {
  return (await listAll(client, name)).filter((k) => k.name === name).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/** A key by id, or the current (newest, not rotated away) key of that name, as the database mode resolves it. */
async function findKey(client: ApiClient, ref: string): Promise<ApiKey> {
  if (ref.startsWith("vk_")) return client.request<ApiKey>("GET", `/virtual-keys/${encodeURIComponent(ref)}`);
  const named = await keysNamed(client, ref);
  const replaced = new Set(named.map((k) => k.rotatedFromId).filter(Boolean));
  const current = named.filter((k) => !replaced.has(k.id)).at(-1);
  if (!current) throw new Error(`no virtual key "${ref}" visible to this API token`);
  return current;
}

export async function keysListViaApi(client: ApiClient): Promise<number> {
  const keys = (await listAll(client)).sort((a, b) => a.name.localeCompare(b.name) || a.createdAt.localeCompare(b.createdAt));
  for (const k of keys) {
    const grace = k.graceExpiresAt ? ` grace until ${k.graceExpiresAt}` : "";
    console.log(`${k.id}  ${k.prefix}…  ${k.effectiveStatus.padEnd(8)} ${k.environment.padEnd(7)} ${k.name}${k.teamName ? ` (team ${k.teamName})` : ""}${grace}`);
  }
  return 0;
}

export async function keysRotateViaApi(client: ApiClient, ref: string, graceSeconds: number, graceText: string): Promise<number> {
  if (graceSeconds % 3600 !== 0) throw new Error(`the management API takes the grace period in whole hours (e.g. 24h or 7d), not "${graceText}"`);
  const key = await findKey(client, ref);
  const { key: fresh, secret } = await client.request<{ key: ApiKey; secret: string }>("POST", `/virtual-keys/${encodeURIComponent(key.id)}/rotate`, { graceHours: graceSeconds / 3600 });
  console.log(`rotated "${key.name}": the old key ${key.prefix}… keeps working for ${graceText}`);
  console.log(`new key ${fresh.id} (shown once, store it now): ${secret}`);
  return 0;
}

export async function keysStatusViaApi(client: ApiClient, ref: string, status: "active" | "disabled" | "revoked"): Promise<number> {
  const key = await findKey(client, ref);
  // Revoking by name ends the whole rotation chain, including an old key still in its grace period.
  const chain = status === "revoked" && !ref.startsWith("vk_") ? (await keysNamed(client, key.name)).filter((k) => k.status !== "revoked") : [key];
  const action = status === "revoked" ? "revoke" : status === "disabled" ? "disable" : "enable";
  for (const k of chain) await client.request<ApiKey>("POST", `/virtual-keys/${encodeURIComponent(k.id)}/${action}`);
  console.log(`${status === "active" ? "enabled" : status} ${chain.map((k) => `${k.prefix}…`).join(", ")} ("${key.name}") through ${client.target.url}`);
  return 0;
}

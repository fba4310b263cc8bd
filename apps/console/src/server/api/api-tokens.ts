import { apiTokenPrefix, hashVirtualKey, isWellFormedToken } from "@portcullis/core";
import type { PrismaClient } from "@portcullis/db";
import { isPermission, rolePermissions, type Binding } from "@portcullis/policy";
import type { Viewer } from "../auth/console-sessions";

export type ApiAuthResult = { ok: true; viewer: Viewer } | { ok: false; status: 401; message: string };

const lastUsedResolutionMs = 60_000;

/**
 * Authenticates `Authorization: Bearer pca_…`: well-formed (prefix and checksum, no lookup
 * otherwise), known by its HMAC, not revoked or expired, its owner (service account or
 * user) enabled. The caller then acts with the owner's role bindings, narrowed to the
 * token's scopes when it has any. One message for every refusal: no oracle for which part failed.
 */
export async function authenticateApiToken(prisma: PrismaClient, pepper: string, authorization: string | null, now = new Date()): Promise<ApiAuthResult> {
  const refused = { ok: false, status: 401, message: "A valid admin API token is required: Authorization: Bearer pca_…" } as const;
  const token = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (!token || !isWellFormedToken(apiTokenPrefix, token)) return refused;
  const row = await prisma.apiToken.findUnique({
    where: { tokenHash: hashVirtualKey(pepper, token) },
    include: {
      serviceAccount: { include: { roleBindings: { include: { role: true } } } },
      user: { include: { roleBindings: { include: { role: true } } } },
    },
  });
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= now)) return refused;
  const owner = row.serviceAccount
    ? { type: "service_account" as const, active: row.serviceAccount.disabledAt === null, id: row.serviceAccount.id, email: "", name: row.serviceAccount.name, bindings: row.serviceAccount.roleBindings }
    : row.user
      ? { type: "user" as const, active: row.user.status === "active", id: row.user.id, email: row.user.email, name: row.user.name, bindings: row.user.roleBindings }
      : null;
  if (!owner?.active) return refused;
  const scopes = row.scopes.filter(isPermission);
  const bindings: Binding[] = owner.bindings.map((b) => {
    const permissions = rolePermissions(b.role);
    return { role: b.role.name, teamId: b.teamId, permissions: row.scopes.length ? permissions.filter((p) => scopes.includes(p)) : permissions };
  });
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > lastUsedResolutionMs) {
    await prisma.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  return {
    ok: true,
    viewer: { actorType: owner.type, sessionId: row.id, user: { id: owner.id, email: owner.email, name: owner.name, isBootstrapAdmin: false }, bindings },
  };
}

import { createHash, randomBytes } from "node:crypto";
import { apiTokenPrefix, displayPrefix, generateToken, hashVirtualKey, newId } from "@portcullis/core";
import { builtInRoleNames, builtInRoles } from "@portcullis/policy";
import { appendAuditEvent, type PrismaClient } from "@portcullis/db";

/** Built-in roles carry the permission catalog from code; upserted after every migration. */
export async function syncBuiltInRoles(prisma: PrismaClient): Promise<void> {
  for (const name of builtInRoleNames) {
    const permissions = [...builtInRoles[name]];
    await prisma.role.upsert({
      where: { name },
      create: { id: newId("role"), name, permissions, builtIn: true, description: `Built-in ${name} role` },
      update: { permissions, builtIn: true },
    });
  }
}

/** True until someone holds a global Owner or Admin role: the install still needs its first admin. */
export async function needsFirstAdmin(prisma: PrismaClient): Promise<boolean> {
  const admins = await prisma.roleBinding.count({
    where: { teamId: null, role: { name: { in: ["Owner", "Admin"] } }, OR: [{ user: { status: "active" } }, { serviceAccount: { disabledAt: null } }] },
  });
  return admins === 0;
}

/**
 * Issues the one-time first-admin link. Earlier unused links stop working, so only
 * the most recently printed one can be followed.
 */
export async function issueBootstrapLink(prisma: PrismaClient, consoleUrl: string, ttlMinutes = 60): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  const tokenHash = createHash("sha256").update(token).digest("hex");
  await prisma.$transaction(async (tx) => {
    await tx.bootstrapToken.deleteMany({ where: { usedAt: null } });
    const id = newId("bootstrap");
    await tx.bootstrapToken.create({ data: { id, tokenHash, expiresAt: new Date(Date.now() + ttlMinutes * 60_000) } });
    await appendAuditEvent(tx, {
      actorType: "system",
      actorLabel: "portcullis bootstrap",
      action: "bootstrap_link.issue",
      targetType: "bootstrap_token",
      targetId: id,
      metadata: { ttlMinutes },
    });
  });
  return `${consoleUrl}/bootstrap?token=${token}`;
}

/** Creates a service account with the global Owner role and an admin API token, shown once. */
export async function createAdminApiToken(prisma: PrismaClient, pepper: string, name: string): Promise<{ token: string; serviceAccountId: string }> {
  const token = generateToken(apiTokenPrefix);
  const serviceAccountId = await prisma.$transaction(async (tx) => {
    const owner = await tx.role.findUniqueOrThrow({ where: { name: "Owner" } });
    const existing = await tx.serviceAccount.findUnique({ where: { name } });
    const sa = existing ?? (await tx.serviceAccount.create({ data: { id: newId("serviceAccount"), name, description: "Created by portcullis bootstrap" } }));
    if (!existing) await tx.roleBinding.create({ data: { serviceAccountId: sa.id, roleId: owner.id } });
    const tokenId = newId("apiToken");
    await tx.apiToken.create({
      data: { id: tokenId, name: `${name} token`, tokenHash: hashVirtualKey(pepper, token), prefix: displayPrefix(token), serviceAccountId: sa.id, scopes: [] },
    });
    await appendAuditEvent(tx, {
      actorType: "system",
      actorLabel: "portcullis bootstrap",
      action: "api_token.create",
      targetType: "api_token",
      targetId: tokenId,
      after: { serviceAccount: name, role: "Owner", prefix: displayPrefix(token) },
    });
    return sa.id;
  });
  return { token, serviceAccountId };
}

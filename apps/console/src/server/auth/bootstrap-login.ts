import { createHash } from "node:crypto";
import { newId } from "@portcullis/core";
import type { Prisma, PrismaClient } from "@portcullis/db";
import { builtInRoles } from "@portcullis/policy";
import { recordAuthEvent } from "./auth-audit";
import { openConsoleSession } from "./console-sessions";
import type { RequestMeta } from "../request-meta";

/** How a one-time token is stored: lower-case hex SHA-256 of the raw token. */
export function hashBootstrapToken(rawToken: string): string {
  return createHash("sha256").update(rawToken, "utf8").digest("hex");
}

export type BootstrapLoginResult =
  | { ok: true; user: { id: string; email: string; name: string | null }; sessionId: string }
  | { ok: false; reason: "invalid_token" | "admin_disabled" };

class AdminDisabled extends Error {}

/**
 * Redeems the first-admin link. In one transaction: consume the token (unused and
 * unexpired, atomically, so two concurrent redemptions cannot both win), find or
 * create the bootstrap admin with a global Owner binding, open a console session
 * and append `auth.bootstrap_login`. A disabled bootstrap admin rolls it all back.
 */
export async function redeemBootstrapToken(
  prisma: PrismaClient,
  rawToken: string,
  opts: { adminEmail: string; ttlSeconds: number; meta: RequestMeta; now?: Date },
): Promise<BootstrapLoginResult> {
  const now = opts.now ?? new Date();
  const tokenHash = hashBootstrapToken(rawToken);
  try {
    return await prisma.$transaction(async (tx) => {
      const consumed = await tx.bootstrapToken.updateMany({
        where: { tokenHash, usedAt: null, expiresAt: { gt: now } },
        data: { usedAt: now },
      });
      if (consumed.count !== 1) return { ok: false, reason: "invalid_token" } as const;

      const admin = await findOrCreateBootstrapAdmin(tx, opts.adminEmail);
      if (admin.status !== "active") throw new AdminDisabled();
      await ensureGlobalOwnerBinding(tx, admin.id);

      const session = await openConsoleSession(tx, { userId: admin.id, ttlSeconds: opts.ttlSeconds, meta: opts.meta, now });
      const token = await tx.bootstrapToken.findUniqueOrThrow({ where: { tokenHash }, select: { id: true } });
      await recordAuthEvent(tx, {
        action: "auth.bootstrap_login",
        user: admin,
        meta: opts.meta,
        metadata: { sessionId: session.id, bootstrapTokenId: token.id },
      });
      return { ok: true, user: { id: admin.id, email: admin.email, name: admin.name }, sessionId: session.id } as const;
    });
  } catch (e) {
    if (e instanceof AdminDisabled) return { ok: false, reason: "admin_disabled" };
    throw e;
  }
}

async function findOrCreateBootstrapAdmin(tx: Prisma.TransactionClient, email: string) {
  const select = { id: true, email: true, name: true, status: true } as const;
  const existing = await tx.user.findFirst({ where: { isBootstrapAdmin: true }, orderBy: { createdAt: "asc" }, select });
  if (existing) return existing;
  return tx.user.create({
    data: { id: newId("user"), email, name: "Bootstrap admin", isBootstrapAdmin: true },
    select,
  });
}

/** Built-in roles are normally upserted at boot; creating Owner here keeps first login independent of that order. */
async function ensureGlobalOwnerBinding(tx: Prisma.TransactionClient, userId: string): Promise<void> {
  const owner = await tx.role.upsert({
    where: { name: "Owner" },
    create: { id: newId("role"), name: "Owner", builtIn: true, permissions: [...builtInRoles.Owner], description: "Full control" },
    update: {},
    select: { id: true },
  });
  const bound = await tx.roleBinding.findFirst({ where: { userId, roleId: owner.id, teamId: null }, select: { id: true } });
  if (!bound) await tx.roleBinding.create({ data: { userId, roleId: owner.id, teamId: null } });
}

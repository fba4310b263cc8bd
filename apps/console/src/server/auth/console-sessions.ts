import { newId } from "@portcullis/core";
import type { Prisma, PrismaClient } from "@portcullis/db";
import { rolePermissions, type Binding } from "@portcullis/policy";
import { recordAuthEvent } from "./auth-audit";
import type { RequestMeta } from "../request-meta";

/**
 * Server-side console sessions. The JWT cookie only names a session (`sid`); whether
 * that session is still live is decided here, on every request, so an admin can
 * revoke it and a disabled user is locked out at once.
 */

export interface Viewer {
  /** A console user (session cookie) or a service account (admin API token). */
  actorType: "user" | "service_account";
  /** The console session, or the API token, the request came in with. */
  sessionId: string;
  /** For a service account: its id and name (`email` is empty). */
  user: { id: string; email: string; name: string | null; isBootstrapAdmin: boolean };
  bindings: Binding[];
}

/** How audit events name the viewer. */
export function viewerLabel(viewer: Viewer): string {
  return viewer.user.email || viewer.user.name || viewer.user.id;
}

export async function openConsoleSession(
  tx: Prisma.TransactionClient,
  input: { userId: string; ttlSeconds: number; meta: RequestMeta; now: Date },
): Promise<{ id: string; expiresAt: Date }> {
  const expiresAt = new Date(input.now.getTime() + input.ttlSeconds * 1000);
  const session = await tx.consoleSession.create({
    data: {
      id: newId("session", input.now.getTime()),
      userId: input.userId,
      expiresAt,
      lastSeenAt: input.now,
      ip: input.meta.ip,
      userAgent: input.meta.userAgent,
    },
    select: { id: true, expiresAt: true },
  });
  await tx.user.update({ where: { id: input.userId }, data: { lastLoginAt: input.now } });
  return session;
}

/** Ends a session (sign-out) and records it; a second call is a no-op. */
export async function closeConsoleSession(prisma: PrismaClient, sessionId: string, meta: RequestMeta): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const now = new Date();
    const closed = await tx.consoleSession.updateMany({
      where: { id: sessionId, revokedAt: null },
      data: { revokedAt: now },
    });
    if (closed.count === 0) return;
    const session = await tx.consoleSession.findUniqueOrThrow({
      where: { id: sessionId },
      select: { user: { select: { id: true, email: true } } },
    });
    await recordAuthEvent(tx, {
      action: "auth.sign_out",
      user: session.user,
      meta,
      metadata: { sessionId },
    });
  });
}

/** Touching lastSeenAt on every request would be one write per page view; once a minute is enough. */
const lastSeenResolutionMs = 60_000;

/** The signed-in user behind a session id, or null when the session is unknown, revoked, expired or its user disabled. */
export async function loadViewer(prisma: PrismaClient, sessionId: string, now: Date = new Date()): Promise<Viewer | null> {
  const session = await prisma.consoleSession.findUnique({
    where: { id: sessionId },
    select: {
      id: true,
      expiresAt: true,
      revokedAt: true,
      lastSeenAt: true,
      user: {
        select: {
          id: true,
          email: true,
          name: true,
          status: true,
          isBootstrapAdmin: true,
          roleBindings: {
            select: { teamId: true, role: { select: { name: true, builtIn: true, permissions: true } } },
          },
        },
      },
    },
  });
  if (!session || session.revokedAt || session.expiresAt <= now || session.user.status !== "active") return null;
  if (!session.lastSeenAt || now.getTime() - session.lastSeenAt.getTime() > lastSeenResolutionMs) {
    await prisma.consoleSession.update({ where: { id: session.id }, data: { lastSeenAt: now } });
  }
  const { user } = session;
  return {
    actorType: "user",
    sessionId: session.id,
    user: { id: user.id, email: user.email, name: user.name, isBootstrapAdmin: user.isBootstrapAdmin },
    bindings: user.roleBindings.map((b) => ({
      role: b.role.name,
      permissions: rolePermissions(b.role),
      teamId: b.teamId,
    })),
  };
}

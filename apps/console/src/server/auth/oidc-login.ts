import { newId } from "@portcullis/core";
import type { PrismaClient } from "@portcullis/db";
import { appendAuditEvent } from "@portcullis/db";
import { recordAuthEvent } from "./auth-audit";
import { openConsoleSession } from "./console-sessions";
import { idpSyncChanged, syncIdpAssignments } from "./idp-sync";
import type { RequestMeta } from "../request-meta";

export interface OidcIdentity {
  /** The IdP's stable subject (`sub`). */
  subject: string;
  email: string;
  /** `false` only when the IdP says the address is unverified; such an address never links to an existing user. */
  emailVerified: boolean | undefined;
  name: string | null;
  /** Groups from the configured claim; the IdP group mappings turn them into roles and teams at each sign-in. */
  groups: string[];
}

export type OidcLoginResult =
  | { ok: true; user: { id: string; email: string; name: string | null }; sessionId: string }
  | { ok: false; reason: "user_disabled" | "identity_conflict" | "no_access" };

/**
 * Signs an SSO user in: find the user by IdP subject, else by e-mail (linking the
 * subject), else create them; refuse a disabled user (and audit the refusal); open a
 * apply the IdP group mappings (roles and teams, additions and removals); refuse a
 * user left without any role binding (never a default role); open a console session
 * and append `auth.sign_in`. The user row and the removals commit even when the
 * sign-in is refused, so an administrator sees who tried and a lost group takes effect.
 */
export async function completeOidcLogin(
  prisma: PrismaClient,
  identity: OidcIdentity,
  opts: { ttlSeconds: number; meta: RequestMeta; now?: Date },
): Promise<OidcLoginResult> {
  const now = opts.now ?? new Date();
  const email = identity.email.toLowerCase();
  const select = { id: true, email: true, name: true, status: true, idpSubject: true } as const;
  return prisma.$transaction(async (tx) => {
    let user = await tx.user.findUnique({ where: { idpSubject: identity.subject }, select });
    if (!user) {
      const byEmail = await tx.user.findUnique({ where: { email }, select });
      if (byEmail) {
        // Linking by e-mail is only safe when the IdP vouches for the address and the user has no other subject.
        if (byEmail.idpSubject || identity.emailVerified === false) return { ok: false, reason: "identity_conflict" } as const;
        user = await tx.user.update({ where: { id: byEmail.id }, data: { idpSubject: identity.subject }, select });
      } else {
        user = await tx.user.create({
          data: { id: newId("user"), email, name: identity.name, idpSubject: identity.subject },
          select,
        });
      }
    }
    const metadata = { provider: "oidc", groups: identity.groups };
    if (user.status !== "active") {
      await recordAuthEvent(tx, { action: "auth.sign_in", user, meta: opts.meta, outcome: "denied", metadata: { ...metadata, reason: "user_disabled" } });
      return { ok: false, reason: "user_disabled" } as const;
    }
    const sync = await syncIdpAssignments(tx, user.id, identity.groups);
    if (idpSyncChanged(sync)) {
      await appendAuditEvent(tx, {
        action: "role_binding.sync",
        actorType: "system",
        actorLabel: "identity provider groups",
        targetType: "user",
        targetId: user.id,
        before: { removed: sync.removed, teamsLeft: sync.teamsLeft },
        after: { added: sync.added, teamsJoined: sync.teamsJoined },
        ip: opts.meta.ip,
        userAgent: opts.meta.userAgent,
        metadata: { groups: identity.groups, email: user.email },
      });
    }
    if (sync.totalBindings === 0) {
      await recordAuthEvent(tx, { action: "auth.sign_in", user, meta: opts.meta, outcome: "denied", metadata: { ...metadata, reason: "no_access" } });
      return { ok: false, reason: "no_access" } as const;
    }
    if (identity.name && identity.name !== user.name) {
      await tx.user.update({ where: { id: user.id }, data: { name: identity.name } });
    }
    const session = await openConsoleSession(tx, { userId: user.id, ttlSeconds: opts.ttlSeconds, meta: opts.meta, now });
    await recordAuthEvent(tx, { action: "auth.sign_in", user, meta: opts.meta, metadata: { ...metadata, sessionId: session.id } });
    return {
      ok: true,
      user: { id: user.id, email: user.email, name: identity.name ?? user.name },
      sessionId: session.id,
    } as const;
  });
}

import { appendAuditEvent, type Prisma } from "@portcullis/db";
import type { RequestMeta } from "../request-meta";

/** Audit actions written by the sign-in machinery (`resource.verb`). */
export type AuthAuditAction = "auth.bootstrap_login" | "auth.sign_in" | "auth.sign_out";

export interface AuthEventInput {
  action: AuthAuditAction;
  user: { id: string; email: string };
  meta: RequestMeta;
  outcome?: "success" | "failure" | "denied";
  metadata?: Record<string, unknown>;
}

/** Appends an auth audit event inside the caller's transaction: the user acts on their own session. */
export async function recordAuthEvent(tx: Prisma.TransactionClient, input: AuthEventInput): Promise<void> {
  await appendAuditEvent(tx, {
    action: input.action,
    actorType: "user",
    actorId: input.user.id,
    actorLabel: input.user.email,
    targetType: "user",
    targetId: input.user.id,
    ip: input.meta.ip,
    userAgent: input.meta.userAgent,
    outcome: input.outcome ?? "success",
    metadata: input.metadata ?? {},
  });
}

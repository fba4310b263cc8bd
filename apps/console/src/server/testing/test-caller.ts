import type { PrismaClient } from "@portcullis/db";
import { builtInRoles, type Binding, type BuiltInRoleName } from "@portcullis/policy";
import { TRPCError } from "@trpc/server";
import type { Viewer } from "../auth/console-sessions";
import type { ConsoleServices } from "../console-services";
import type { RequestMeta } from "../request-meta";
import { createCaller } from "../trpc/root";

/** Test helper: a built-in role bound organisation-wide (teamId null) or to one team. */
export function roleBinding(role: BuiltInRoleName, teamId: string | null = null): Binding {
  return { role, permissions: builtInRoles[role], teamId };
}

export interface TestCallerInput {
  prisma: PrismaClient;
  services: ConsoleServices;
  /** The signed-in console user; a seeded user where the procedure writes rows naming it. */
  userId: string;
  bindings: Binding[];
  /** Names the session `ses_<label>` and the user's email `<label>@matrix.test`. */
  label: string;
  /** Where the call comes from; no IP and no user agent unless given. */
  meta?: RequestMeta;
}

/** Test helper: a tRPC caller signed in as a console user with the given role bindings. */
export function testCaller({ prisma, services, userId, bindings, label, meta = { ip: null, userAgent: null } }: TestCallerInput) {
  const viewer: Viewer = { actorType: "user", sessionId: `ses_${label}`, user: { id: userId, email: `${label}@matrix.test`, name: null, isBootstrapAdmin: false }, bindings };
  return createCaller({ prisma, viewer, meta, services });
}

/** Test helper: the tRPC error code a call fails with, or "OK" when it succeeds; other errors are thrown. */
export async function trpcCodeOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return "OK";
  } catch (e) {
    if (e instanceof TRPCError) return e.code;
    throw e;
  }
}

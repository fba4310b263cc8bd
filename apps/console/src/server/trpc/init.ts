import { initTRPC, TRPCError } from "@trpc/server";
import type { PrismaClient } from "@portcullis/db";
import { can, canSomewhere, type PermissionQuery } from "@portcullis/policy";
import { z, ZodError } from "zod";
import type { Viewer } from "../auth/console-sessions";
import type { ConsoleServices } from "../console-services";
import type { RequestMeta } from "../request-meta";
import { trpcErrorFromPrisma } from "./prisma-errors";

/** What every procedure sees: the signed-in viewer (or null), the database, who called, and the services. */
export interface TrpcContext {
  viewer: Viewer | null;
  prisma: PrismaClient;
  meta: RequestMeta;
  services: ConsoleServices;
}

const t = initTRPC.context<TrpcContext>().create({
  errorFormatter({ shape, error }) {
    // Unexpected errors (a database message, a bug) never reach the browser; our own TRPCErrors do.
    const exposed = error.code !== "INTERNAL_SERVER_ERROR" || error.cause === undefined;
    return {
      ...shape,
      message: exposed ? shape.message : "Internal error. The server log has the details.",
      data: {
        ...shape.data,
        stack: undefined,
        zodError: error.cause instanceof ZodError ? z.flattenError(error.cause) : null,
      },
    };
  },
});

export const createRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

export const publicProcedure = t.procedure;

/** Signed in, with a live session. Not usable on its own: add requirePermission() or requireSelf(). */
export const protectedProcedure = t.procedure.use(async ({ ctx, next }) => {
  if (!ctx.viewer) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue: no live console session." });
  const result = await next({ ctx: { ...ctx, viewer: ctx.viewer } });
  if (!result.ok) {
    const mapped = trpcErrorFromPrisma(result.error.cause);
    if (mapped) throw mapped;
  }
  return result;
});

/**
 * How a procedure is authorized, recorded for every middleware that declares it. The RBAC
 * matrix test reads these declarations to derive what each role may call.
 * - `global`: only organisation-wide bindings count.
 * - `team`: the team the input names (or the row it points at); a binding on that team counts.
 * - `reach`: the permission must hold somewhere; the procedure then limits rows to the teams
 *   where it holds (reachOf inside the Prisma `where`), so a row outside them is "not found".
 * - `self`: the caller's own data; being signed in is enough.
 */
export type AuthzScope = "global" | "team" | "reach" | "self";

export interface AuthzDeclaration {
  query: PermissionQuery | null;
  scope: AuthzScope;
}

const declarations = new WeakMap<object, AuthzDeclaration>();

export function declaresAuthorization(middleware: unknown): boolean {
  return typeof middleware === "function" && declarations.has(middleware);
}

/** The authorization a procedure declares (its first declaring middleware), if any. */
export function declarationOf(procedure: { _def: { middlewares: readonly unknown[] } }): AuthzDeclaration | undefined {
  for (const m of procedure._def.middlewares) {
    if (typeof m === "function" && declarations.has(m)) return declarations.get(m);
  }
  return undefined;
}

export function describeQuery(query: PermissionQuery): string {
  if (typeof query === "string") return query;
  if ("and" in query) return query.and.map(describeQuery).join(" and ");
  return query.or.map(describeQuery).join(" or ");
}

type TeamResolver<TInput> = (input: TInput, ctx: TrpcContext) => string | null | undefined | Promise<string | null | undefined>;

export interface PermissionOptions<TInput> {
  /**
   * The team the call acts in, read from the (parsed) input or looked up from the row it
   * names; place requirePermission after `.input()` then. `null` means organisation-wide.
   */
  teamOf?: TeamResolver<TInput>;
  /** The permission must hold somewhere; the procedure filters rows with reachOf. */
  reach?: boolean;
}

/**
 * Refuses the call unless the viewer's bindings grant `query`: organisation-wide, in the
 * team `teamOf` names, or (with `reach`) in at least one team.
 */
export function requirePermission<TInput = unknown>(query: PermissionQuery, opts: PermissionOptions<TInput> = {}) {
  const scope: AuthzScope = opts.teamOf ? "team" : opts.reach ? "reach" : "global";
  return declaring(
    t.middleware(async ({ ctx, input, next }) => {
      const bindings = ctx.viewer?.bindings ?? [];
      const teamId = opts.teamOf ? ((await opts.teamOf(input as TInput, ctx)) ?? null) : null;
      const allowed = scope === "reach" ? canSomewhere(bindings, query) : can(bindings, query, { teamId });
      if (!allowed) {
        const where = teamId ? ` in team ${teamId}` : scope === "reach" ? " in any team" : "";
        throw new TRPCError({ code: "FORBIDDEN", message: `Missing permission: ${describeQuery(query)}${where}.` });
      }
      return next();
    }),
    { query, scope },
  );
}

/**
 * For procedures that only read or change the caller's own data (their profile, their
 * session). Declares that no permission is needed beyond being signed in.
 */
export function requireSelf() {
  return declaring(
    t.middleware(({ next }) => next()),
    { query: null, scope: "self" },
  );
}

function declaring<T extends { _middlewares: readonly object[] }>(builder: T, declaration: AuthzDeclaration): T {
  for (const fn of builder._middlewares) declarations.set(fn, declaration);
  return builder;
}

import { initTRPC, TRPCError } from "@trpc/server";
import type { PrismaClient } from "@portcullis/db";
import { can, type PermissionQuery } from "@portcullis/policy";
import { z, ZodError } from "zod";
import type { Viewer } from "../auth/console-sessions";
import type { RequestMeta } from "../request-meta";

/** What every procedure sees: the signed-in viewer (or null), the database, and who called. */
export interface TrpcContext {
  viewer: Viewer | null;
  prisma: PrismaClient;
  meta: RequestMeta;
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
export const protectedProcedure = t.procedure.use(({ ctx, next }) => {
  if (!ctx.viewer) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue: no live console session." });
  return next({ ctx: { ...ctx, viewer: ctx.viewer } });
});

/** Middleware functions that declare authorization; the router test checks every procedure has one. */
const declaringMiddlewares = new WeakSet<object>();

export function declaresAuthorization(middleware: unknown): boolean {
  return typeof middleware === "function" && declaringMiddlewares.has(middleware);
}

function describe(query: PermissionQuery): string {
  if (typeof query === "string") return query;
  if ("and" in query) return query.and.map(describe).join(" and ");
  return query.or.map(describe).join(" or ");
}

export interface PermissionOptions<TInput> {
  /** `global` (default): only organisation-wide bindings count. `team`: the team the input names. */
  teamOf?: (input: TInput) => string | null | undefined;
}

/**
 * Refuses the call unless the viewer's bindings grant `query`: organisation-wide, or in
 * the team `teamOf` reads from the input (then place it after `.input()`, which parses it).
 */
export function requirePermission<TInput = unknown>(query: PermissionQuery, opts: PermissionOptions<TInput> = {}) {
  return declaring(
    t.middleware(({ ctx, input, next }) => {
      const teamId = opts.teamOf?.(input as TInput) ?? null;
      if (!can(ctx.viewer?.bindings ?? [], query, { teamId })) {
        const where = teamId ? ` in team ${teamId}` : "";
        throw new TRPCError({ code: "FORBIDDEN", message: `Missing permission: ${describe(query)}${where}.` });
      }
      return next();
    }),
  );
}

/**
 * For procedures that only read or change the caller's own data (their profile, their
 * session). Declares that no permission is needed beyond being signed in.
 */
export function requireSelf() {
  return declaring(t.middleware(({ next }) => next()));
}

function declaring<T extends { _middlewares: readonly object[] }>(builder: T): T {
  for (const fn of builder._middlewares) declaringMiddlewares.add(fn);
  return builder;
}

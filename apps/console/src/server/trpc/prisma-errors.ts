import { TRPCError } from "@trpc/server";

/**
 * Prisma's known request errors that are the caller's doing, as tRPC errors with a message
 * a person can act on (constraint names and SQL stay in the server log).
 */
export function trpcErrorFromPrisma(e: unknown): TRPCError | undefined {
  if (typeof e !== "object" || e === null || !("code" in e)) return undefined;
  const code = (e as { code: unknown }).code;
  if (code === "P2002") return new TRPCError({ code: "CONFLICT", message: "Something with that name already exists.", cause: e });
  if (code === "P2003" || code === "P2014") {
    return new TRPCError({ code: "CONFLICT", message: "It is still in use (or refers to something that does not exist).", cause: e });
  }
  if (code === "P2025") return new TRPCError({ code: "NOT_FOUND", message: "It no longer exists.", cause: e });
  return undefined;
}

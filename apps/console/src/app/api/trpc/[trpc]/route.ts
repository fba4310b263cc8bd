import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { isCrossOrigin } from "@/server/csrf";
import { getEnv } from "@/server/env";
import { createTrpcContext } from "@/server/trpc/context";
import { appRouter } from "@/server/trpc/root";

function handler(req: Request): Promise<Response> | Response {
  // Mutations are POSTs carrying the session cookie: refuse them from another origin (CSRF).
  if (req.method !== "GET" && isCrossOrigin(req.headers, getEnv().NEXTAUTH_URL)) {
    return Response.json({ error: { message: "Cross-origin request refused.", data: { code: "FORBIDDEN" } } }, { status: 403 });
  }
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: () => createTrpcContext(req),
    onError({ error, path }) {
      if (error.code === "INTERNAL_SERVER_ERROR") console.error(`[trpc] ${path ?? "?"}:`, error.cause ?? error);
    },
  });
}

export { handler as GET, handler as POST };

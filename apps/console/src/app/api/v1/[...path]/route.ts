import { handleApiRequest } from "@/server/api/handle";
import { requestMetaFrom } from "@/server/request-meta";
import { getConsoleServices } from "@/server/runtime-services";
import { getPrisma } from "@/server/services";

export const dynamic = "force-dynamic";

type RouteContext = { params: Promise<{ path: string[] }> };

/** The management API (/api/v1/…): admin API tokens, the same procedures and checks as the console. */
async function handler(req: Request, ctx: RouteContext): Promise<Response> {
  const { path } = await ctx.params;
  return handleApiRequest(req, `/${path.join("/")}`, requestMetaFrom(req.headers), { prisma: getPrisma(), services: getConsoleServices() });
}

export { handler as GET, handler as POST, handler as PATCH, handler as DELETE, handler as PUT };

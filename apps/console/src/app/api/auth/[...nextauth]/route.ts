import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { buildAuthOptions } from "@/server/auth/options";
import { requestMetaFrom } from "@/server/request-meta";

type RouteContext = { params: Promise<{ nextauth: string[] }> };

/** Options are built per request so sessions and audit events carry the caller's ip and user agent. */
async function handler(req: NextRequest, ctx: RouteContext): Promise<Response> {
  return NextAuth(req, ctx, buildAuthOptions(requestMetaFrom(req.headers))) as Promise<Response>;
}

export { handler as GET, handler as POST };

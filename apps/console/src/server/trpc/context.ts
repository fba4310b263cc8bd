import "server-only";
import { getViewer } from "../auth/viewer";
import { requestMetaFrom } from "../request-meta";
import { getConsoleServices } from "../runtime-services";
import { getPrisma } from "../services";
import type { TrpcContext } from "./init";

/** Builds the context of one tRPC HTTP request: its viewer (session checked live), the database, its caller. */
export async function createTrpcContext(req: Request): Promise<TrpcContext> {
  return { prisma: getPrisma(), viewer: await getViewer(), meta: requestMetaFrom(req.headers), services: getConsoleServices() };
}

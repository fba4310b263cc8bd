import { buildOpenApiDocument } from "@/server/api/openapi";
import { getEnv } from "@/server/env";

export const dynamic = "force-dynamic";

let cached: unknown;

/** The management API's OpenAPI 3.1 document (public: it describes, it grants nothing). */
export function GET(): Response {
  cached ??= buildOpenApiDocument(getEnv().NEXTAUTH_URL);
  return Response.json(cached, { headers: { "cache-control": "public, max-age=300" } });
}

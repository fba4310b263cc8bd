import type { PrismaClient } from "@portcullis/db";
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { ZodError } from "zod";
import type { ConsoleServices } from "../console-services";
import type { RequestMeta } from "../request-meta";
import { createCaller } from "../trpc/root";
import { authenticateApiToken } from "./api-tokens";
import { matchOperation, type ApiOperation } from "./operations";

export interface ApiDeps {
  prisma: PrismaClient;
  services: ConsoleServices;
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { "cache-control": "no-store", ...headers } });
}

function apiError(status: number, code: string, message: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): Response {
  return json(status, { error: { code, message, ...extra } }, headers);
}

async function inputOf(req: Request, op: ApiOperation, params: Record<string, string>): Promise<unknown> {
  if (op.method === "GET" || op.method === "DELETE") {
    const query: Record<string, unknown> = {};
    for (const [k, v] of new URL(req.url).searchParams) query[k] = op.numericQuery?.includes(k) && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
    const merged = { ...query, ...params };
    // No query string means no filters: an empty object, which list inputs accept.
    return { ...merged, ...op.fixedInput };
  }
  const text = await req.text();
  let body: unknown = {};
  if (text.trim()) body = JSON.parse(text) as unknown;
  if (body === null || typeof body !== "object" || Array.isArray(body)) throw new SyntaxError("the request body must be a JSON object");
  return { ...(body as Record<string, unknown>), ...params, ...op.fixedInput };
}

/**
 * One management API request: match the operation, authenticate the admin API token, build
 * the procedure's input from the path, query and body, and call the tRPC procedure with the
 * token's owner as the viewer. Errors keep tRPC's codes with their HTTP statuses.
 */
export async function handleApiRequest(req: Request, path: string, meta: RequestMeta, deps: ApiDeps): Promise<Response> {
  const match = matchOperation(req.method, path);
  if (!match) return apiError(404, "NOT_FOUND", `No API operation at ${req.method} /api/v1${path}. See /api/v1/openapi.json.`);
  if ("allowed" in match) return apiError(405, "METHOD_NOT_SUPPORTED", `Use ${match.allowed.join(", ")} on /api/v1${path}.`, {}, { allow: match.allowed.join(", ") });
  const { op, params } = match;

  const auth = await authenticateApiToken(deps.prisma, deps.services.keyPepper, req.headers.get("authorization"));
  if (!auth.ok) return apiError(401, "UNAUTHORIZED", auth.message, {}, { "www-authenticate": 'Bearer realm="portcullis"' });

  let input: unknown;
  try {
    input = await inputOf(req, op, params);
  } catch (e) {
    return apiError(400, "BAD_REQUEST", `Invalid JSON body: ${(e as Error).message}`);
  }

  let node: unknown = createCaller({ prisma: deps.prisma, viewer: auth.viewer, meta, services: deps.services });
  for (const part of op.procedure.split(".")) node = (node as Record<string, unknown>)[part];
  try {
    const result = await (node as (i: unknown) => Promise<unknown>)(input);
    if (result === null) return apiError(404, "NOT_FOUND", "Not found.");
    return json(op.status ?? 200, result);
  } catch (e) {
    if (!(e instanceof TRPCError)) throw e;
    const status = getHTTPStatusCodeFromError(e);
    if (status >= 500) {
      console.error(`[api] ${op.operationId}:`, e.cause ?? e);
      return apiError(500, "INTERNAL_SERVER_ERROR", "Internal error. The server log has the details.");
    }
    const issues = e.cause instanceof ZodError ? e.cause.issues.map((i) => ({ path: i.path.join("."), message: i.message })) : undefined;
    return apiError(status, e.code, issues ? "Invalid input." : e.message, issues ? { issues } : {});
  }
}

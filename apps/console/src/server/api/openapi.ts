import { z } from "zod";
import { describeQuery, declarationOf } from "../trpc/init";
import { appRouter } from "../trpc/root";
import { apiOperations } from "./operations";

type JsonSchema = { type?: string; properties?: Record<string, JsonSchema>; required?: string[]; [k: string]: unknown };
type Procedure = { _def: { inputs: unknown[]; middlewares: unknown[] } };

const errorResponse = (description: string) => ({ description, content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } });

function inputSchema(procedure: Procedure): JsonSchema | null {
  const schema = procedure._def.inputs[0];
  if (!(schema instanceof z.ZodType)) return null;
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  delete json.$schema;
  return json;
}

function without(schema: JsonSchema, names: string[]): JsonSchema {
  const properties = Object.fromEntries(Object.entries(schema.properties ?? {}).filter(([k]) => !names.includes(k)));
  const required = (schema.required ?? []).filter((k) => !names.includes(k));
  return { ...schema, properties, ...(required.length ? { required } : { required: undefined }) };
}

function scopeText(scope: string): string {
  if (scope === "team") return " in the team the call acts in (a team-scoped grant of that team suffices)";
  if (scope === "reach") return " in at least one team; rows outside those teams are not found";
  return " organisation-wide";
}

/** OpenAPI 3.1 for /api/v1, built from the operations and the procedures they call. */
export function buildOpenApiDocument(serverUrl: string) {
  const procedures = appRouter._def.procedures as unknown as Record<string, Procedure>;
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of apiOperations) {
    const procedure = procedures[op.procedure];
    if (!procedure) throw new Error(`API operation ${op.operationId} calls unknown procedure ${op.procedure}`);
    const declaration = declarationOf(procedure);
    const permission = declaration?.query ? describeQuery(declaration.query) : null;
    const pathParams = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
    const implied = [...pathParams, ...Object.keys(op.fixedInput ?? {})];
    const schema = inputSchema(procedure);
    const parameters: unknown[] = pathParams.map((name) => ({ name, in: "path", required: true, schema: { type: "string" } }));
    let requestBody: unknown;
    if (schema && (op.method === "GET" || op.method === "DELETE")) {
      for (const [name, s] of Object.entries(without(schema, implied).properties ?? {})) parameters.push({ name, in: "query", required: false, schema: s });
    } else if (schema) {
      // A union body (one shape per kind) has no top-level properties to drop.
      requestBody = { required: true, content: { "application/json": { schema: implied.length ? without(schema, implied) : schema } } };
    }
    (paths[op.path] ??= {})[op.method.toLowerCase()] = {
      operationId: op.operationId,
      summary: op.summary,
      tags: [op.tag],
      description: permission ? `Requires \`${permission}\`${scopeText(declaration!.scope)}.` : undefined,
      "x-portcullis-permission": permission,
      "x-portcullis-scope": declaration?.scope,
      parameters: parameters.length ? parameters : undefined,
      requestBody,
      responses: {
        [String(op.status ?? 200)]: { description: "Success", content: { "application/json": { schema: { type: "object" } } } },
        "400": errorResponse("Invalid input; `issues` names each field"),
        "401": errorResponse("Missing, unknown, revoked or expired API token"),
        "403": errorResponse("The token's roles lack the permission"),
        "404": errorResponse("Not found, or outside the token's teams"),
        "409": errorResponse("Conflicts with the current state"),
        ...Object.fromEntries(Object.entries(op.errors ?? {}).map(([status, description]) => [status, errorResponse(description)])),
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Portcullis management API",
      version: "1",
      description: "Manage virtual keys, teams, budgets and guardrail policies, apply and export the declarative configuration, read the audit log and the fleet's configuration status. Authenticate with an admin API token of a service account (`Authorization: Bearer pca_…`); it acts with the account's roles, under the same permission checks as the console, and every change is audited.",
    },
    servers: [{ url: `${serverUrl.replace(/\/+$/, "")}/api/v1` }],
    security: [{ bearerAuth: [] }],
    components: {
      securitySchemes: { bearerAuth: { type: "http", scheme: "bearer", description: "Admin API token (pca_…)" } },
      schemas: {
        Error: {
          type: "object",
          required: ["error"],
          properties: {
            error: {
              type: "object",
              required: ["code", "message"],
              properties: { code: { type: "string" }, message: { type: "string" }, issues: { type: "array", items: { type: "object", properties: { path: { type: "string" }, message: { type: "string" } } } } },
            },
          },
        },
      },
    },
    paths,
  };
}

import { describe, expect, it } from "vitest";
import { declarationOf, describeQuery } from "../trpc/init";
import { appRouter } from "../trpc/root";
import { buildOpenApiDocument } from "./openapi";
import { apiOperations } from "./operations";

const doc = buildOpenApiDocument("https://console.example.test/");
type Op = { operationId: string; "x-portcullis-permission": string | null; parameters?: { name: string; in: string }[]; requestBody?: { content: { "application/json": { schema: { properties: Record<string, unknown>; required?: string[] } } } } };
const op = (path: string, method: string) => (doc.paths[path] as Record<string, Op>)[method]!;

describe("the OpenAPI document", () => {
  it("is OpenAPI 3.1 with bearer auth and the API's base URL", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.servers).toEqual([{ url: "https://console.example.test/api/v1" }]);
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
  });

  it("documents every operation with the permission its procedure declares", () => {
    for (const o of apiOperations) {
      const documented = op(o.path, o.method.toLowerCase());
      expect(documented.operationId).toBe(o.operationId);
      const procedure = (appRouter._def.procedures as unknown as Record<string, { _def: { middlewares: unknown[] } }>)[o.procedure]!;
      expect(documented["x-portcullis-permission"]).toBe(describeQuery(declarationOf(procedure)!.query!));
    }
    expect(op("/virtual-keys", "post")["x-portcullis-permission"]).toBe("virtual_key.create");
    expect(op("/audit-events", "get")["x-portcullis-permission"]).toBe("audit.read");
    expect(op("/config/apply", "post")["x-portcullis-permission"]).toBe("config.apply");
    expect(op("/config/export", "get")["x-portcullis-permission"]).toBe("config.export");
  });

  it("documents the statuses particular to an operation, such as an invalid configuration file", () => {
    const apply = op("/config/apply", "post") as Op & { responses: Record<string, { description: string }> };
    expect(apply.responses["422"]!.description).toMatch(/file:line:column/);
    expect(Object.keys(apply.requestBody!.content["application/json"].schema.properties).sort()).toEqual(["dryRun", "file", "yaml"]);
    expect((op("/config/export", "get") as Op & { responses: Record<string, unknown> }).responses).not.toHaveProperty("422");
  });

  it("derives bodies and parameters from the procedures' input schemas", () => {
    const create = op("/virtual-keys", "post").requestBody!.content["application/json"].schema;
    expect(create.required).toEqual(expect.arrayContaining(["name", "teamId"]));
    expect(Object.keys(create.properties)).toEqual(expect.arrayContaining(["allowedModels", "budget", "rateLimit"]));
    const rotate = op("/virtual-keys/{id}/rotate", "post");
    expect(rotate.parameters).toEqual([expect.objectContaining({ name: "id", in: "path" })]);
    expect(rotate.requestBody!.content["application/json"].schema.properties).not.toHaveProperty("id");
    expect(op("/audit-events", "get").parameters!.map((p) => p.name)).toEqual(expect.arrayContaining(["action", "actor", "from", "to", "cursor", "limit"]));
  });

  it("documents a guardrail policy body as one shape per check kind", () => {
    const body = (op("/guardrail-policies", "post").requestBody!.content["application/json"].schema as unknown as { oneOf: { properties: { kind: { const: string } } }[] }).oneOf;
    expect(body.map((v) => v.properties.kind.const)).toEqual(["pii", "regex", "keywords", "prompt-injection", "webhook"]);
    expect(op("/guardrail-policies/{id}", "patch")["x-portcullis-permission"]).toBe("guardrail.update");
  });
});

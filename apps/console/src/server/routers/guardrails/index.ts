import { TRPCError } from "@trpc/server";
import { newId } from "@portcullis/core";
import type { Prisma } from "@portcullis/db";
import { can } from "@portcullis/policy";
import { z, ZodError } from "zod";
import { notFound } from "../../authz";
import { withMutation, type Tx } from "../../mutation";
import { createRouter, protectedProcedure, requirePermission, type TrpcContext } from "../../trpc/init";
import { assertScopeExists, scopeFilter, scopeLabels, scopeOptionsFor, teamOfScope } from "../limits/scope";
import { idSchema } from "../schemas";
import { guardrailKinds, guardrailPolicySchema, guardrailScopeTypes, piiEntityTypes, updateGuardrailSchema, type GuardrailPolicyInput } from "./schemas";

type Row = Awaited<ReturnType<Tx["guardrailPolicy"]["findUniqueOrThrow"]>>;

async function guardrailDtos(db: Tx, rows: Row[]) {
  const label = await scopeLabels(db, rows);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    kind: r.kind,
    config: r.config as Record<string, unknown>,
    mode: r.mode,
    stage: r.stage,
    failOpen: r.failOpen,
    scopeType: r.scopeType,
    scopeId: r.scopeId,
    scopeLabel: r.scopeType === "global" ? "Everything" : label(r),
    priority: r.priority,
    enabled: r.enabled,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  }));
}

async function guardrailDto(db: Tx, id: string) {
  return (await guardrailDtos(db, [await db.guardrailPolicy.findUniqueOrThrow({ where: { id } })]))[0]!;
}

const teamOfPolicy = async (i: { id: string }, ctx: TrpcContext) => {
  const p = await ctx.prisma.guardrailPolicy.findUnique({ where: { id: i.id }, select: { scopeType: true, scopeId: true } });
  return p ? teamOfScope(ctx.prisma, p.scopeType, p.scopeId) : null;
};

const rowData = (p: GuardrailPolicyInput) => ({
  name: p.name,
  kind: p.kind,
  config: p.config as Prisma.InputJsonValue,
  mode: p.mode,
  stage: p.stage,
  failOpen: p.failOpen,
  scopeType: p.scopeType,
  scopeId: p.scopeId,
  priority: p.priority,
  enabled: p.enabled,
});

async function assertGuardrailScope(tx: Tx, p: GuardrailPolicyInput) {
  if (p.scopeType !== "global") await assertScopeExists(tx, p.scopeType, p.scopeId);
}

/**
 * Guardrail policies: which check runs (PII, regex, keywords, prompt injection, an external
 * webhook), on input or output, where (everything, or one customer, team, key, provider key
 * or tenant) and what a hit does. Team- and key-scoped policies are managed by whoever holds
 * guardrail.update in that team; the rest needs it organisation-wide.
 */
export const guardrailsRouter = createRouter({
  list: protectedProcedure
    .use(requirePermission("guardrail.read", { reach: true }))
    .input(z.object({ kind: z.enum(guardrailKinds).optional(), scopeType: z.enum(guardrailScopeTypes).optional() }).default({}))
    .query(async ({ ctx, input }) => {
      const rows = await ctx.prisma.guardrailPolicy.findMany({
        where: {
          AND: [await scopeFilter(ctx.prisma, ctx.viewer.bindings, "guardrail.read"), input.kind ? { kind: input.kind } : {}, input.scopeType ? { scopeType: input.scopeType } : {}],
        },
        orderBy: [{ priority: "asc" }, { name: "asc" }],
      });
      return { policies: await guardrailDtos(ctx.prisma, rows), kinds: guardrailKinds, piiEntityTypes };
    }),

  /** What a policy can be attached to, within the teams where the caller may edit guardrails. */
  scopeOptions: protectedProcedure
    .use(requirePermission("guardrail.update", { reach: true }))
    .query(({ ctx }) => scopeOptionsFor(ctx.prisma, ctx.viewer.bindings, "guardrail.update")),

  create: protectedProcedure
    .input(guardrailPolicySchema)
    .use(requirePermission("guardrail.update", { teamOf: (i: GuardrailPolicyInput, ctx) => (i.scopeType === "global" ? null : teamOfScope(ctx.prisma, i.scopeType, i.scopeId)) }))
    .mutation(async ({ ctx, input }) =>
      withMutation(ctx, async (tx, audit) => {
        await assertGuardrailScope(tx, input);
        const id = newId("guardrail");
        await tx.guardrailPolicy.create({ data: { id, ...rowData(input), createdBy: ctx.viewer.user.id } });
        const after = await guardrailDto(tx, id);
        await audit({ action: "guardrail.create", targetType: "guardrail_policy", targetId: id, after });
        return after;
      }),
    ),

  update: protectedProcedure
    .input(updateGuardrailSchema)
    .use(requirePermission("guardrail.update", { teamOf: teamOfPolicy }))
    .mutation(async ({ ctx, input }) =>
      withMutation(ctx, async (tx, audit) => {
        const row = await tx.guardrailPolicy.findUnique({ where: { id: input.id } });
        if (!row) throw notFound("Guardrail policy");
        const { id, ...changes } = input;
        const merged = guardrailPolicySchema.safeParse({ ...row, config: row.config, ...changes });
        if (!merged.success) throw new TRPCError({ code: "BAD_REQUEST", message: "Invalid guardrail policy.", cause: new ZodError(merged.error.issues) });
        const next = merged.data;
        // Moving a policy to another scope needs the permission there too.
        const teamId = next.scopeType === "global" ? null : await teamOfScope(tx, next.scopeType, next.scopeId);
        if (!can(ctx.viewer.bindings, "guardrail.update", { teamId })) {
          throw new TRPCError({ code: "FORBIDDEN", message: `Missing permission: guardrail.update${teamId ? ` in team ${teamId}` : ""}.` });
        }
        await assertGuardrailScope(tx, next);
        const before = await guardrailDto(tx, id);
        await tx.guardrailPolicy.update({ where: { id }, data: rowData(next) });
        const after = await guardrailDto(tx, id);
        await audit({ action: "guardrail.update", targetType: "guardrail_policy", targetId: id, before, after });
        return after;
      }),
    ),

  delete: protectedProcedure
    .input(z.object({ id: idSchema }))
    .use(requirePermission("guardrail.update", { teamOf: teamOfPolicy }))
    .mutation(async ({ ctx, input }) =>
      withMutation(ctx, async (tx, audit) => {
        const row = await tx.guardrailPolicy.findUnique({ where: { id: input.id } });
        if (!row) throw notFound("Guardrail policy");
        const [before] = await guardrailDtos(tx, [row]);
        await tx.guardrailPolicy.delete({ where: { id: input.id } });
        await audit({ action: "guardrail.delete", targetType: "guardrail_policy", targetId: input.id, before });
        return { id: input.id };
      }),
    ),
});

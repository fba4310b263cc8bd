import { TRPCError } from "@trpc/server";
import { apiTokenPrefix, displayPrefix, generateToken, hashVirtualKey, newId } from "@portcullis/core";
import { rolePermissions } from "@portcullis/policy";
import { z } from "zod";
import { assertCanGrant, notFound } from "../../authz";
import { withMutation, type Tx } from "../../mutation";
import { createRouter, protectedProcedure, requirePermission } from "../../trpc/init";
import { idSchema } from "../schemas";

async function accountDto(tx: Tx, id: string) {
  const sa = await tx.serviceAccount.findUniqueOrThrow({
    where: { id },
    include: {
      roleBindings: { include: { role: { select: { name: true } }, team: { select: { name: true } } } },
      apiTokens: { orderBy: { createdAt: "desc" } },
    },
  });
  return {
    id: sa.id,
    name: sa.name,
    description: sa.description,
    disabled: sa.disabledAt !== null,
    createdAt: sa.createdAt.toISOString(),
    roles: sa.roleBindings.map((b) => ({ role: b.role.name, teamId: b.teamId, teamName: b.team?.name ?? null })),
    tokens: sa.apiTokens.map((t) => ({
      id: t.id,
      name: t.name,
      prefix: t.prefix,
      createdAt: t.createdAt.toISOString(),
      expiresAt: t.expiresAt?.toISOString() ?? null,
      revokedAt: t.revokedAt?.toISOString() ?? null,
      lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    })),
  };
}

/** Service accounts own admin API tokens (`pca_…`, stored as HMAC); they act with their role bindings. */
export const serviceAccountsRouter = createRouter({
  list: protectedProcedure.use(requirePermission("service_account.read")).query(async ({ ctx }) => {
    const rows = await ctx.prisma.serviceAccount.findMany({ orderBy: { name: "asc" }, select: { id: true } });
    return Promise.all(rows.map((r) => accountDto(ctx.prisma, r.id)));
  }),

  create: protectedProcedure
    .use(requirePermission("service_account.update"))
    .input(
      z.object({
        name: z.string().trim().min(2).max(64).regex(/^[a-z0-9][a-z0-9._-]*$/, "Lower-case letters, digits, dots and dashes, e.g. ci-pipeline"),
        description: z.string().trim().max(300).optional(),
        roleId: idSchema,
        teamId: idSchema.nullable(),
      }),
    )
    .mutation(async ({ ctx, input }) =>
      withMutation(ctx, async (tx, audit) => {
        const role = await tx.role.findUnique({ where: { id: input.roleId } });
        if (!role) throw new TRPCError({ code: "BAD_REQUEST", message: "Unknown role." });
        assertCanGrant(ctx.viewer.bindings, { name: role.name, permissions: rolePermissions(role) }, input.teamId);
        const id = newId("serviceAccount");
        await tx.serviceAccount.create({
          data: { id, name: input.name, description: input.description ?? null, createdBy: ctx.viewer.user.id, roleBindings: { create: { roleId: role.id, teamId: input.teamId } } },
        });
        const after = await accountDto(tx, id);
        await audit({ action: "service_account.create", targetType: "service_account", targetId: id, after });
        return after;
      }),
    ),

  /** A new admin API token for the account, returned once. */
  createToken: protectedProcedure
    .use(requirePermission("service_account.update"))
    .input(z.object({ serviceAccountId: idSchema, name: z.string().trim().min(1).max(64), expiresInDays: z.number().int().min(1).max(730).nullable().default(90) }))
    .mutation(async ({ ctx, input }) => {
      const token = generateToken(apiTokenPrefix);
      const created = await withMutation(ctx, async (tx, audit) => {
        const sa = await tx.serviceAccount.findUnique({ where: { id: input.serviceAccountId } });
        if (!sa) throw notFound("Service account");
        if (sa.disabledAt) throw new TRPCError({ code: "CONFLICT", message: "The service account is disabled." });
        const id = newId("apiToken");
        const expiresAt = input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null;
        await tx.apiToken.create({
          data: { id, name: input.name, tokenHash: hashVirtualKey(ctx.services.keyPepper, token), prefix: displayPrefix(token), serviceAccountId: sa.id, scopes: [], expiresAt, createdBy: ctx.viewer.user.id },
        });
        await audit({ action: "api_token.create", targetType: "api_token", targetId: id, after: { serviceAccount: sa.name, name: input.name, prefix: displayPrefix(token), expiresAt } });
        return accountDto(tx, sa.id);
      });
      return { account: created, token };
    }),

  revokeToken: protectedProcedure
    .use(requirePermission("service_account.update"))
    .input(z.object({ tokenId: idSchema }))
    .mutation(async ({ ctx, input }) =>
      withMutation(ctx, async (tx, audit) => {
        const t = await tx.apiToken.findUnique({ where: { id: input.tokenId } });
        if (!t) throw notFound("API token");
        if (t.revokedAt) throw new TRPCError({ code: "CONFLICT", message: "This token is already revoked." });
        await tx.apiToken.update({ where: { id: t.id }, data: { revokedAt: new Date() } });
        await audit({ action: "api_token.revoke", targetType: "api_token", targetId: t.id, before: { prefix: t.prefix, name: t.name } });
        return t.serviceAccountId ? accountDto(tx, t.serviceAccountId) : null;
      }),
    ),

  setDisabled: protectedProcedure
    .use(requirePermission("service_account.update"))
    .input(z.object({ id: idSchema, disabled: z.boolean() }))
    .mutation(async ({ ctx, input }) =>
      withMutation(ctx, async (tx, audit) => {
        if (!(await tx.serviceAccount.findUnique({ where: { id: input.id }, select: { id: true } }))) throw notFound("Service account");
        const before = await accountDto(tx, input.id);
        await tx.serviceAccount.update({ where: { id: input.id }, data: { disabledAt: input.disabled ? new Date() : null } });
        const after = await accountDto(tx, input.id);
        await audit({ action: input.disabled ? "service_account.disable" : "service_account.enable", targetType: "service_account", targetId: input.id, before, after });
        return after;
      }),
    ),
});

import { TRPCError } from "@trpc/server";
import { apiTokenPrefix, displayPrefix, generateToken, hashVirtualKey, newId } from "@portcullis/core";
import { isPermission, rolePermissions } from "@portcullis/policy";
import { z } from "zod";
import { assertCanGrant, notFound } from "../../authz";
import { withMutation, type Tx } from "../../mutation";
import { createRouter, protectedProcedure, requirePermission } from "../../trpc/init";
import { idSchema } from "../schemas";

async function accountDto(tx: Tx, id: string) {
  const sa = await tx.serviceAccount.findUniqueOrThrow({
    where: { id },
    include: {
      roleBindings: { include: { role: { select: { id: true, name: true, builtIn: true, permissions: true } }, team: { select: { name: true } } } },
      apiTokens: { orderBy: { createdAt: "desc" } },
    },
  });
  return {
    id: sa.id,
    name: sa.name,
    description: sa.description,
    disabled: sa.disabledAt !== null,
    createdAt: sa.createdAt.toISOString(),
    roles: sa.roleBindings.map((b) => ({ roleId: b.role.id, role: b.role.name, teamId: b.teamId, teamName: b.team?.name ?? null })),
    /** What its roles grant: the permissions a token of this account can be scoped to. */
    permissions: [...new Set(sa.roleBindings.flatMap((b) => rolePermissions(b.role)))].sort(),
    tokens: sa.apiTokens.map((t) => ({
      id: t.id,
      name: t.name,
      prefix: t.prefix,
      createdAt: t.createdAt.toISOString(),
      expiresAt: t.expiresAt?.toISOString() ?? null,
      revokedAt: t.revokedAt?.toISOString() ?? null,
      lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
      /** Empty: every permission of the account's roles; otherwise only these (narrowed at each call). */
      scopes: t.scopes,
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
    .input(
      z.object({
        serviceAccountId: idSchema,
        name: z.string().trim().min(1, "Enter a name").max(64),
        expiresInDays: z.number().int().min(1, "At least 1 day").max(730, "At most 730 days").nullable().default(90),
        /** Narrow the token to these permissions; empty = everything the account's roles grant. */
        scopes: z
          .array(z.string().refine(isPermission, "Unknown permission"))
          .max(100)
          .default([])
          .transform((xs) => [...new Set(xs)].sort()),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const token = generateToken(apiTokenPrefix);
      const created = await withMutation(ctx, async (tx, audit) => {
        const sa = await tx.serviceAccount.findUnique({ where: { id: input.serviceAccountId } });
        if (!sa) throw notFound("Service account");
        if (sa.disabledAt) throw new TRPCError({ code: "CONFLICT", message: "The service account is disabled." });
        const granted = (await accountDto(tx, sa.id)).permissions;
        const beyond = input.scopes.filter((p) => !granted.includes(p));
        if (beyond.length) throw new TRPCError({ code: "BAD_REQUEST", message: `The account's roles do not grant ${beyond.join(", ")}: a token can only be narrowed.` });
        const id = newId("apiToken");
        const expiresAt = input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null;
        await tx.apiToken.create({
          data: { id, name: input.name, tokenHash: hashVirtualKey(ctx.services.keyPepper, token), prefix: displayPrefix(token), serviceAccountId: sa.id, scopes: input.scopes, expiresAt, createdBy: ctx.viewer.user.id },
        });
        await audit({ action: "api_token.create", targetType: "api_token", targetId: id, after: { serviceAccount: sa.name, name: input.name, prefix: displayPrefix(token), expiresAt, scopes: input.scopes } });
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

  /** Replaces the account's role and scope (organisation-wide or one team); its tokens follow at their next call. */
  setRole: protectedProcedure
    .use(requirePermission("service_account.update"))
    .input(z.object({ id: idSchema, roleId: idSchema, teamId: idSchema.nullable() }))
    .mutation(async ({ ctx, input }) =>
      withMutation(ctx, async (tx, audit) => {
        if (!(await tx.serviceAccount.findUnique({ where: { id: input.id }, select: { id: true } }))) throw notFound("Service account");
        const role = await tx.role.findUnique({ where: { id: input.roleId } });
        if (!role) throw new TRPCError({ code: "BAD_REQUEST", message: "Unknown role." });
        if (input.teamId && !(await tx.team.findUnique({ where: { id: input.teamId }, select: { id: true } }))) throw new TRPCError({ code: "BAD_REQUEST", message: "Unknown team." });
        assertCanGrant(ctx.viewer.bindings, { name: role.name, permissions: rolePermissions(role) }, input.teamId);
        // Nobody rewrites an account that holds more than they could grant.
        const current = await tx.roleBinding.findMany({ where: { serviceAccountId: input.id }, include: { role: true } });
        for (const b of current) assertCanGrant(ctx.viewer.bindings, { name: b.role.name, permissions: rolePermissions(b.role) }, b.teamId);
        const before = await accountDto(tx, input.id);
        await tx.roleBinding.deleteMany({ where: { serviceAccountId: input.id } });
        await tx.roleBinding.create({ data: { serviceAccountId: input.id, roleId: role.id, teamId: input.teamId } });
        const after = await accountDto(tx, input.id);
        await audit({ action: "service_account.update", targetType: "service_account", targetId: input.id, before, after });
        return after;
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

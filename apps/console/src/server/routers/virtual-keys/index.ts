import { TRPCError } from "@trpc/server";
import { displayPrefix, generateVirtualKey, hashVirtualKey, newId } from "@portcullis/core";
import type { Prisma } from "@portcullis/db";
import { z } from "zod";
import { notFound, teamFilter, teamsWhere } from "../../authz";
import { withMutation, type Tx } from "../../mutation";
import { createRouter, protectedProcedure, requirePermission } from "../../trpc/init";
import { idSchema } from "../schemas";
import { toKeyDto } from "./dto";
import { assertBindable, assertWithinTeamLimits, loadKeyLimits, writeKeyLimits } from "./limits";
import { createKeySchema, listKeysSchema, rotateKeySchema, updateKeySchema } from "./schemas";

const include = { team: { select: { name: true, slug: true } }, ownerUser: { select: { email: true } }, bindings: true } as const;

async function keyDto(tx: Tx, id: string, now = new Date()) {
  const row = await tx.virtualKey.findUniqueOrThrow({ where: { id }, include });
  return toKeyDto(row, (await loadKeyLimits(tx, [id]))(id), now);
}

function statusWhere(status: z.infer<typeof listKeysSchema>["status"], now: Date): Prisma.VirtualKeyWhereInput {
  switch (status) {
    case undefined:
      return {};
    case "active":
      return { status: "active", graceExpiresAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] };
    case "grace":
      return { status: "active", graceExpiresAt: { gt: now } };
    case "expired":
      return { status: "active", OR: [{ expiresAt: { lte: now } }, { graceExpiresAt: { lte: now } }] };
    default:
      return { status };
  }
}

export const virtualKeysRouter = createRouter({
  /** Keys of the teams where the caller may read keys (all keys with a global grant). */
  list: protectedProcedure
    .use(requirePermission("virtual_key.read", { reach: true }))
    .input(listKeysSchema)
    .query(async ({ ctx, input }) => {
      const now = new Date();
      const where: Prisma.VirtualKeyWhereInput = {
        AND: [
          teamFilter(ctx.viewer.bindings, "virtual_key.read"),
          input.teamId ? { teamId: input.teamId } : {},
          input.environment ? { environment: input.environment } : {},
          statusWhere(input.status, now),
          input.search ? { OR: [{ name: { contains: input.search, mode: "insensitive" } }, { prefix: { startsWith: input.search } }] } : {},
          input.cursor ? { id: { lt: input.cursor } } : {},
        ],
      };
      const rows = await ctx.prisma.virtualKey.findMany({ where, include, orderBy: { id: "desc" }, take: input.limit + 1 });
      const page = rows.slice(0, input.limit);
      const limits = await loadKeyLimits(ctx.prisma, page.map((k) => k.id));
      return {
        items: page.map((k) => toKeyDto(k, limits(k.id), now)),
        nextCursor: rows.length > input.limit ? (page[page.length - 1]?.id ?? null) : null,
      };
    }),

  get: protectedProcedure
    .use(requirePermission("virtual_key.read", { reach: true }))
    .input(z.object({ id: idSchema }))
    .query(async ({ ctx, input }) => {
      const row = await ctx.prisma.virtualKey.findFirst({ where: { id: input.id, ...teamFilter(ctx.viewer.bindings, "virtual_key.read") }, select: { id: true } });
      if (!row) throw notFound("Virtual key");
      return keyDto(ctx.prisma, row.id);
    }),

  /** What the create and edit forms offer: the teams the caller may create keys in, and bindable provider keys. */
  formOptions: protectedProcedure.use(requirePermission("virtual_key.create", { reach: true })).query(async ({ ctx }) => {
    const teams = teamsWhere(ctx.viewer.bindings, "virtual_key.create");
    const [teamRows, providerKeys] = await Promise.all([
      ctx.prisma.team.findMany({ where: teams === "all" ? {} : { id: { in: teams } }, select: { id: true, name: true }, orderBy: { name: "asc" } }),
      ctx.prisma.providerKey.findMany({
        where: { enabled: true },
        select: { id: true, name: true, environment: true, provider: { select: { name: true } } },
        orderBy: [{ providerId: "asc" }, { name: "asc" }],
      }),
    ]);
    return {
      teams: teamRows,
      canCreateOrgWide: teams === "all",
      providerKeys: providerKeys.map((k) => ({ id: k.id, label: `${k.provider.name} / ${k.name}`, environment: k.environment })),
      gatewayUrl: ctx.services.gatewayUrl ?? null,
    };
  }),

  /** Mints a key in a team the caller may create keys in; the secret is returned once and never stored. */
  create: protectedProcedure
    .input(createKeySchema)
    .use(requirePermission("virtual_key.create", { teamOf: (i: z.infer<typeof createKeySchema>) => i.teamId }))
    .mutation(async ({ ctx, input }) => {
      const secret = generateVirtualKey();
      const now = new Date();
      const key = await withMutation(ctx, async (tx, audit) => {
        if (input.teamId && !(await tx.team.findUnique({ where: { id: input.teamId }, select: { id: true } }))) {
          throw new TRPCError({ code: "BAD_REQUEST", message: "That team does not exist." });
        }
        await assertWithinTeamLimits(tx, input.teamId, input.budget, input.rateLimit);
        await assertBindable(tx, input.providerKeyIds, input.environment);
        const id = newId("virtualKey");
        await tx.virtualKey.create({
          data: {
            id,
            keyHash: hashVirtualKey(ctx.services.keyPepper, secret),
            prefix: displayPrefix(secret),
            name: input.name,
            description: input.description ?? null,
            environment: input.environment,
            teamId: input.teamId,
            customerId: input.customerId ?? null,
            ownerUserId: ctx.viewer.actorType === "user" ? ctx.viewer.user.id : null,
            allowedProviders: input.allowedProviders,
            allowedModels: input.allowedModels,
            blockedModels: input.blockedModels,
            allowedEndpoints: input.allowedEndpoints,
            ipAllowList: input.ipAllowList,
            expiresAt: input.expiresAt ? new Date(input.expiresAt) : null,
            createdBy: ctx.viewer.user.id,
            bindings: { create: input.providerKeyIds.map((providerKeyId) => ({ providerKeyId, environment: input.environment })) },
          },
        });
        await writeKeyLimits(tx, id, input.budget, input.rateLimit, now);
        const after = await keyDto(tx, id, now);
        await audit({ action: "virtual_key.create", targetType: "virtual_key", targetId: id, after });
        return after;
      });
      return { key, secret };
    }),

  /** Edits models, limits and bindings of a key in the caller's reach. */
  update: protectedProcedure
    .use(requirePermission("virtual_key.update", { reach: true }))
    .input(updateKeySchema)
    .mutation(async ({ ctx, input }) =>
      withMutation(ctx, async (tx, audit) => {
        const row = await tx.virtualKey.findFirst({ where: { id: input.id, ...teamFilter(ctx.viewer.bindings, "virtual_key.update") } });
        if (!row) throw notFound("Virtual key");
        if (row.status === "revoked") throw new TRPCError({ code: "CONFLICT", message: "A revoked key cannot be edited." });
        const before = await keyDto(tx, row.id);
        await assertWithinTeamLimits(tx, row.teamId, input.budget, input.rateLimit);
        if (input.providerKeyIds) await assertBindable(tx, input.providerKeyIds, row.environment);
        const { id, budget, rateLimit, providerKeyIds, expiresAt, ...fields } = input;
        await tx.virtualKey.update({
          where: { id },
          data: { ...fields, ...(expiresAt !== undefined ? { expiresAt: expiresAt ? new Date(expiresAt) : null } : {}) },
        });
        if (providerKeyIds) {
          await tx.virtualKeyBinding.deleteMany({ where: { virtualKeyId: id } });
          await tx.virtualKeyBinding.createMany({ data: providerKeyIds.map((providerKeyId) => ({ virtualKeyId: id, providerKeyId, environment: row.environment })) });
        }
        await writeKeyLimits(tx, id, budget, rateLimit, new Date());
        const after = await keyDto(tx, id);
        await audit({ action: "virtual_key.update", targetType: "virtual_key", targetId: id, before, after });
        return after;
      }),
    ),

  /**
   * Rotation: a new key with the same settings (and its own copy of the key's limits) that
   * records which key it replaces; the old key keeps working until its grace period ends.
   */
  rotate: protectedProcedure
    .use(requirePermission("virtual_key.update", { reach: true }))
    .input(rotateKeySchema)
    .mutation(async ({ ctx, input }) => {
      const secret = generateVirtualKey();
      const now = new Date();
      const key = await withMutation(ctx, async (tx, audit) => {
        const old = await tx.virtualKey.findFirst({ where: { id: input.id, ...teamFilter(ctx.viewer.bindings, "virtual_key.update") }, include: { bindings: true } });
        if (!old) throw notFound("Virtual key");
        if (old.status !== "active" || old.graceExpiresAt) throw new TRPCError({ code: "CONFLICT", message: "Only an active key that has not been rotated yet can be rotated." });
        const before = await keyDto(tx, old.id, now);
        const id = newId("virtualKey");
        const { id: _oldId, keyHash: _h, prefix: _p, createdAt: _c, updatedAt: _u, lastUsedAt: _l, bindings, metadata, ...settings } = old;
        await tx.virtualKey.create({
          data: {
            ...settings,
            metadata: metadata ?? {},
            id,
            keyHash: hashVirtualKey(ctx.services.keyPepper, secret),
            prefix: displayPrefix(secret),
            rotatedFromId: old.id,
            graceExpiresAt: null,
            createdBy: ctx.viewer.user.id,
            bindings: { create: bindings.map((b) => ({ providerKeyId: b.providerKeyId, environment: b.environment })) },
          },
        });
        const limits = (await loadKeyLimits(tx, [old.id]))(old.id);
        const budget = limits.budget ? { limitUsd: limits.budget.limitUsd, period: limits.budget.period as "month" } : undefined;
        await writeKeyLimits(tx, id, budget, limits.rateLimit ?? undefined, now);
        const graceEnds = new Date(now.getTime() + input.graceHours * 3_600_000);
        await tx.virtualKey.update({
          where: { id: old.id },
          data: input.graceHours === 0 ? { status: "revoked", revokedAt: now } : { graceExpiresAt: graceEnds },
        });
        const after = await keyDto(tx, id, now);
        await audit({
          action: "virtual_key.rotate",
          targetType: "virtual_key",
          targetId: old.id,
          before,
          after: await keyDto(tx, old.id, now),
          metadata: { newKeyId: id, graceHours: input.graceHours },
        });
        return after;
      });
      return { key, secret };
    }),

  /** Disables a key until it is enabled again (revocation, unlike this, is final). */
  setStatus: protectedProcedure
    .use(requirePermission("virtual_key.update", { reach: true }))
    .input(z.object({ id: idSchema, status: z.enum(["active", "disabled"]) }))
    .mutation(async ({ ctx, input }) =>
      withMutation(ctx, async (tx, audit) => {
        const row = await tx.virtualKey.findFirst({ where: { id: input.id, ...teamFilter(ctx.viewer.bindings, "virtual_key.update") }, select: { id: true, status: true } });
        if (!row) throw notFound("Virtual key");
        if (row.status === "revoked") throw new TRPCError({ code: "CONFLICT", message: "This key is revoked; revocation is final." });
        if (row.status === input.status) throw new TRPCError({ code: "CONFLICT", message: `This key is already ${input.status === "active" ? "enabled" : "disabled"}.` });
        const before = await keyDto(tx, row.id);
        await tx.virtualKey.update({ where: { id: row.id }, data: { status: input.status } });
        const after = await keyDto(tx, row.id);
        await audit({ action: input.status === "active" ? "virtual_key.enable" : "virtual_key.disable", targetType: "virtual_key", targetId: row.id, before, after });
        return after;
      }),
    ),

  /** Revokes a key at once (every gateway refuses it once the new configuration arrives). */
  revoke: protectedProcedure
    .use(requirePermission("virtual_key.revoke", { reach: true }))
    .input(z.object({ id: idSchema }))
    .mutation(async ({ ctx, input }) =>
      withMutation(ctx, async (tx, audit) => {
        const row = await tx.virtualKey.findFirst({ where: { id: input.id, ...teamFilter(ctx.viewer.bindings, "virtual_key.revoke") }, select: { id: true, status: true } });
        if (!row) throw notFound("Virtual key");
        if (row.status === "revoked") throw new TRPCError({ code: "CONFLICT", message: "This key is already revoked." });
        const before = await keyDto(tx, row.id);
        await tx.virtualKey.update({ where: { id: row.id }, data: { status: "revoked", revokedAt: new Date() } });
        const after = await keyDto(tx, row.id);
        await audit({ action: "virtual_key.revoke", targetType: "virtual_key", targetId: row.id, before, after });
        return after;
      }),
    ),
});

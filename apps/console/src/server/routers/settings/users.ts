import { TRPCError } from "@trpc/server";
import { rolePermissions } from "@portcullis/policy";
import { z } from "zod";
import { assertCanGrant, notFound } from "../../authz";
import { withMutation, type Tx } from "../../mutation";
import { createRouter, protectedProcedure, requirePermission, type TrpcContext } from "../../trpc/init";
import { idSchema } from "../schemas";

async function userDtos(tx: Tx, ids?: string[]) {
  const now = new Date();
  const rows = await tx.user.findMany({
    where: ids ? { id: { in: ids } } : {},
    orderBy: [{ isBootstrapAdmin: "desc" }, { email: "asc" }],
    include: {
      roleBindings: { include: { role: { select: { name: true } }, team: { select: { name: true } } } },
      sessions: { where: { revokedAt: null, expiresAt: { gt: now } }, select: { id: true } },
    },
  });
  return rows.map((u) => ({
    id: u.id,
    email: u.email,
    name: u.name,
    status: u.status,
    isBootstrapAdmin: u.isBootstrapAdmin,
    sso: u.idpSubject !== null,
    lastLoginAt: u.lastLoginAt?.toISOString() ?? null,
    liveSessions: u.sessions.length,
    bindings: u.roleBindings.map((b) => ({ id: b.id, roleId: b.roleId, role: b.role.name, teamId: b.teamId, teamName: b.team?.name ?? null, source: b.source })),
  }));
}

async function oneUser(tx: Tx, id: string) {
  const [u] = await userDtos(tx, [id]);
  if (!u) throw notFound("User");
  return u;
}

const teamOfBinding = async (i: { bindingId: string }, ctx: TrpcContext) =>
  (await ctx.prisma.roleBinding.findUnique({ where: { id: i.bindingId }, select: { teamId: true } }))?.teamId ?? null;

export const usersRouter = createRouter({
  list: protectedProcedure.use(requirePermission("member.read")).query(async ({ ctx }) => userDtos(ctx.prisma)),

  /** Disables or re-enables a user (the bootstrap admin included: the break-glass switch). Sessions die with it. */
  setStatus: protectedProcedure
    .use(requirePermission("member.update"))
    .input(z.object({ userId: idSchema, status: z.enum(["active", "disabled"]) }))
    .mutation(async ({ ctx, input }) =>
      withMutation(ctx, async (tx, audit) => {
        if (input.userId === ctx.viewer.user.id) throw new TRPCError({ code: "BAD_REQUEST", message: "You cannot change your own status." });
        const before = await oneUser(tx, input.userId);
        if (input.status === "disabled") {
          const otherOwners = await tx.roleBinding.count({
            where: { teamId: null, role: { name: "Owner" }, userId: { not: input.userId }, user: { status: "active" } },
          });
          if (before.bindings.some((b) => b.role === "Owner" && b.teamId === null) && otherOwners === 0) {
            throw new TRPCError({ code: "CONFLICT", message: "This is the last active Owner: grant another user the Owner role first." });
          }
        }
        const now = new Date();
        await tx.user.update({ where: { id: input.userId }, data: { status: input.status, disabledAt: input.status === "disabled" ? now : null } });
        if (input.status === "disabled") await tx.consoleSession.updateMany({ where: { userId: input.userId, revokedAt: null }, data: { revokedAt: now } });
        const after = await oneUser(tx, input.userId);
        await audit({ action: input.status === "disabled" ? "user.disable" : "user.enable", targetType: "user", targetId: input.userId, before, after });
        return after;
      }),
    ),

  /** Ends every live console session of a user at once (their next request is signed out). */
  revokeSessions: protectedProcedure
    .use(requirePermission("session.revoke"))
    .input(z.object({ userId: idSchema }))
    .mutation(async ({ ctx, input }) =>
      withMutation(ctx, async (tx, audit) => {
        await oneUser(tx, input.userId);
        const { count } = await tx.consoleSession.updateMany({ where: { userId: input.userId, revokedAt: null, expiresAt: { gt: new Date() } }, data: { revokedAt: new Date() } });
        await audit({ action: "session.revoke", targetType: "user", targetId: input.userId, after: { revoked: count } });
        return { revoked: count };
      }),
    ),

  /** Grants a role by hand, globally or in a team (never more than the granter holds there). */
  bind: protectedProcedure
    .input(z.object({ userId: idSchema, roleId: idSchema, teamId: idSchema.nullable() }))
    .use(requirePermission("member.update", { teamOf: (i: { teamId: string | null }) => i.teamId }))
    .mutation(async ({ ctx, input }) =>
      withMutation(ctx, async (tx, audit) => {
        const before = await oneUser(tx, input.userId);
        const role = await tx.role.findUnique({ where: { id: input.roleId } });
        if (!role) throw new TRPCError({ code: "BAD_REQUEST", message: "Unknown role." });
        assertCanGrant(ctx.viewer.bindings, { name: role.name, permissions: rolePermissions(role) }, input.teamId);
        if (before.bindings.some((b) => b.roleId === role.id && b.teamId === input.teamId && b.source === "manual")) {
          throw new TRPCError({ code: "CONFLICT", message: "The user already has this role there." });
        }
        await tx.roleBinding.create({ data: { userId: input.userId, roleId: role.id, teamId: input.teamId, source: "manual" } });
        if (input.teamId) {
          await tx.teamMembership.upsert({
            where: { teamId_userId: { teamId: input.teamId, userId: input.userId } },
            create: { teamId: input.teamId, userId: input.userId, source: "manual" },
            update: {},
          });
        }
        const after = await oneUser(tx, input.userId);
        await audit({ action: "role_binding.create", targetType: "user", targetId: input.userId, before, after, metadata: { role: role.name, teamId: input.teamId } });
        return after;
      }),
    ),

  /** Removes a manual grant; IdP grants are changed in the IdP or the group mappings. */
  unbind: protectedProcedure
    .input(z.object({ bindingId: z.uuid() }))
    .use(requirePermission("member.update", { teamOf: teamOfBinding }))
    .mutation(async ({ ctx, input }) =>
      withMutation(ctx, async (tx, audit) => {
        const binding = await tx.roleBinding.findUnique({ where: { id: input.bindingId }, include: { role: { select: { name: true } } } });
        if (!binding?.userId) throw notFound("Role binding");
        if (binding.source === "idp") throw new TRPCError({ code: "BAD_REQUEST", message: "This role comes from an IdP group: change the group or its mapping." });
        if (binding.userId === ctx.viewer.user.id && binding.role.name === "Owner") {
          throw new TRPCError({ code: "BAD_REQUEST", message: "You cannot remove your own Owner role." });
        }
        const before = await oneUser(tx, binding.userId);
        await tx.roleBinding.delete({ where: { id: binding.id } });
        const after = await oneUser(tx, binding.userId);
        await audit({ action: "role_binding.delete", targetType: "user", targetId: binding.userId, before, after, metadata: { role: binding.role.name, teamId: binding.teamId } });
        return after;
      }),
    ),
});

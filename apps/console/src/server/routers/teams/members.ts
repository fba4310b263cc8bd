import { TRPCError } from "@trpc/server";
import { newId } from "@portcullis/core";
import { rolePermissions } from "@portcullis/policy";
import { z } from "zod";
import { assertCanGrant, notFound } from "../../authz";
import { withMutation, type Tx } from "../../mutation";
import { createRouter, protectedProcedure, requirePermission } from "../../trpc/init";
import { idSchema } from "../schemas";

const teamOf = (i: { teamId: string }) => i.teamId;

async function memberDtos(tx: Tx, teamId: string, userId?: string) {
  const rows = await tx.teamMembership.findMany({
    where: { teamId, ...(userId ? { userId } : {}) },
    include: {
      user: {
        select: {
          id: true,
          email: true,
          name: true,
          status: true,
          lastLoginAt: true,
          roleBindings: { where: { teamId }, select: { source: true, role: { select: { id: true, name: true } } } },
        },
      },
    },
    orderBy: { createdAt: "asc" },
  });
  return rows.map((m) => ({
    userId: m.userId,
    email: m.user.email,
    name: m.user.name,
    status: m.user.status,
    source: m.source,
    lastLoginAt: m.user.lastLoginAt?.toISOString() ?? null,
    roles: m.user.roleBindings.map((b) => ({ roleId: b.role.id, name: b.role.name, source: b.source })),
  }));
}

export const membersRouter = createRouter({
  list: protectedProcedure
    .input(z.object({ teamId: idSchema }))
    .use(requirePermission("member.read", { teamOf }))
    .query(async ({ ctx, input }) => memberDtos(ctx.prisma, input.teamId)),

  /**
   * Adds a person to a team with a role in it. Someone who never signed in is created
   * from their e-mail and linked at their first SSO sign-in (verified e-mail).
   */
  add: protectedProcedure
    .input(z.object({ teamId: idSchema, email: z.email("Enter an e-mail address").trim().toLowerCase(), roleId: idSchema }))
    .use(requirePermission("member.update", { teamOf }))
    .mutation(async ({ ctx, input }) =>
      withMutation(ctx, async (tx, audit) => {
        if (!(await tx.team.findUnique({ where: { id: input.teamId }, select: { id: true } }))) throw notFound("Team");
        const role = await tx.role.findUnique({ where: { id: input.roleId } });
        if (!role) throw new TRPCError({ code: "BAD_REQUEST", message: "Unknown role." });
        assertCanGrant(ctx.viewer.bindings, { name: role.name, permissions: rolePermissions(role) }, input.teamId);
        const user =
          (await tx.user.findUnique({ where: { email: input.email }, select: { id: true } })) ??
          (await tx.user.create({ data: { id: newId("user"), email: input.email }, select: { id: true } }));
        await tx.teamMembership.upsert({
          where: { teamId_userId: { teamId: input.teamId, userId: user.id } },
          create: { teamId: input.teamId, userId: user.id, source: "manual" },
          update: {},
        });
        const bound = await tx.roleBinding.findFirst({ where: { userId: user.id, teamId: input.teamId, roleId: role.id, source: "manual" } });
        if (!bound) await tx.roleBinding.create({ data: { userId: user.id, teamId: input.teamId, roleId: role.id, source: "manual" } });
        const [after] = await memberDtos(tx, input.teamId, user.id);
        await audit({ action: "team_member.add", targetType: "team", targetId: input.teamId, after, metadata: { userId: user.id, role: role.name } });
        return after!;
      }),
    ),

  /** Removes a person's manual membership and roles in the team (IdP-granted ones return at their next sign-in unless the mapping changes). */
  remove: protectedProcedure
    .input(z.object({ teamId: idSchema, userId: idSchema }))
    .use(requirePermission("member.update", { teamOf }))
    .mutation(async ({ ctx, input }) =>
      withMutation(ctx, async (tx, audit) => {
        const [before] = await memberDtos(tx, input.teamId, input.userId);
        if (!before) throw notFound("Team member");
        await tx.roleBinding.deleteMany({ where: { userId: input.userId, teamId: input.teamId } });
        await tx.teamMembership.delete({ where: { teamId_userId: { teamId: input.teamId, userId: input.userId } } });
        await audit({ action: "team_member.remove", targetType: "team", targetId: input.teamId, before, metadata: { userId: input.userId } });
        return { userId: input.userId };
      }),
    ),
});

import { TRPCError } from "@trpc/server";
import { rolePermissions } from "@portcullis/policy";
import { z } from "zod";
import { assertCanGrant, notFound } from "../../authz";
import { withMutation, type Tx } from "../../mutation";
import { createRouter, protectedProcedure, requirePermission } from "../../trpc/init";
import { idSchema } from "../schemas";

const include = { role: { select: { name: true } }, team: { select: { name: true } } } as const;

async function mappingDto(tx: Tx, id: string) {
  return toMappingDto(await tx.idpGroupMapping.findUniqueOrThrow({ where: { id }, include }));
}

function toMappingDto(m: { id: string; groupName: string; roleId: string; teamId: string | null; createdAt: Date; role: { name: string }; team: { name: string } | null }) {
  return {
    id: m.id,
    groupName: m.groupName,
    roleId: m.roleId,
    roleName: m.role.name,
    teamId: m.teamId,
    teamName: m.team?.name ?? null,
    createdAt: m.createdAt.toISOString(),
  };
}

/**
 * IdP group -> role (optionally in a team) mappings, applied at every SSO sign-in.
 * Changing who gets which role through the IdP is an SSO setting: sso.update (Owner).
 */
export const idpMappingsRouter = createRouter({
  list: protectedProcedure.use(requirePermission("settings.read")).query(async ({ ctx }) => {
    return (await ctx.prisma.idpGroupMapping.findMany({ orderBy: [{ groupName: "asc" }, { createdAt: "asc" }], include })).map(toMappingDto);
  }),

  create: protectedProcedure
    .use(requirePermission("sso.update"))
    .input(
      z.object({
        groupName: z.string().trim().min(1, "Enter the group exactly as the IdP sends it").max(256),
        roleId: idSchema,
        teamId: idSchema.nullable(),
      }),
    )
    .mutation(async ({ ctx, input }) =>
      withMutation(ctx, async (tx, audit) => {
        const role = await tx.role.findUnique({ where: { id: input.roleId } });
        if (!role) throw new TRPCError({ code: "BAD_REQUEST", message: "Unknown role." });
        if (input.teamId && !(await tx.team.findUnique({ where: { id: input.teamId }, select: { id: true } }))) {
          throw new TRPCError({ code: "BAD_REQUEST", message: "Unknown team." });
        }
        assertCanGrant(ctx.viewer.bindings, { name: role.name, permissions: rolePermissions(role) }, input.teamId);
        const dup = await tx.idpGroupMapping.findFirst({ where: { groupName: input.groupName, roleId: input.roleId, teamId: input.teamId } });
        if (dup) throw new TRPCError({ code: "CONFLICT", message: "This group already maps to that role there." });
        const row = await tx.idpGroupMapping.create({ data: input });
        const after = await mappingDto(tx, row.id);
        await audit({ action: "idp_group_mapping.create", targetType: "idp_group_mapping", targetId: row.id, after });
        return after;
      }),
    ),

  delete: protectedProcedure
    .use(requirePermission("sso.update"))
    .input(z.object({ id: z.uuid() }))
    .mutation(async ({ ctx, input }) =>
      withMutation(ctx, async (tx, audit) => {
        if (!(await tx.idpGroupMapping.findUnique({ where: { id: input.id }, select: { id: true } }))) throw notFound("Group mapping");
        const before = await mappingDto(tx, input.id);
        await tx.idpGroupMapping.delete({ where: { id: input.id } });
        await audit({ action: "idp_group_mapping.delete", targetType: "idp_group_mapping", targetId: input.id, before, metadata: { appliesAt: "next sign-in" } });
        return { id: input.id };
      }),
    ),
});

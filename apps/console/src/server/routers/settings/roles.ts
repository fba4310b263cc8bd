import { TRPCError } from "@trpc/server";
import { newId } from "@portcullis/core";
import { allPermissions, permissionActions, rolePermissions } from "@portcullis/policy";
import { z } from "zod";
import { assertCanGrant, notFound } from "../../authz";
import { withMutation, type Tx } from "../../mutation";
import { createRouter, protectedProcedure, requirePermission } from "../../trpc/init";
import { idSchema } from "../schemas";

const permissionSchema = z.enum(allPermissions as [string, ...string[]]);
const roleInput = z.object({
  name: z.string().trim().min(2, "At least 2 characters").max(64).regex(/^[A-Za-z][A-Za-z0-9 _-]*$/, "Letters, digits, spaces, _ and -"),
  description: z.string().trim().max(300).optional().transform((v) => v || null),
  permissions: z.array(permissionSchema).min(1, "Choose at least one permission").transform((xs) => [...new Set(xs)].sort()),
});

async function roleDto(tx: Tx, id: string) {
  const r = await tx.role.findUniqueOrThrow({ where: { id }, include: { _count: { select: { bindings: true, idpGroupMappings: true } } } });
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    builtIn: r.builtIn,
    permissions: rolePermissions(r),
    bindings: r._count.bindings,
    mappings: r._count.idpGroupMappings,
  };
}

function assertEditable(role: { builtIn: boolean; name: string }): void {
  if (role.builtIn) throw new TRPCError({ code: "FORBIDDEN", message: `${role.name} is a built-in role: its permissions come with the release and cannot be edited.` });
}

/** Built-in roles are read-only; custom roles are made of catalog permissions (role.update, Owner). */
export const rolesRouter = createRouter({
  list: protectedProcedure.use(requirePermission("role.read")).query(async ({ ctx }) => {
    const rows = await ctx.prisma.role.findMany({ orderBy: [{ builtIn: "desc" }, { name: "asc" }], select: { id: true } });
    return { roles: await Promise.all(rows.map((r) => roleDto(ctx.prisma, r.id))), catalog: permissionActions };
  }),

  create: protectedProcedure
    .use(requirePermission("role.update"))
    .input(roleInput)
    .mutation(async ({ ctx, input }) =>
      withMutation(ctx, async (tx, audit) => {
        assertCanGrant(ctx.viewer.bindings, input, null);
        const id = newId("role");
        await tx.role.create({ data: { id, ...input, builtIn: false } });
        const after = await roleDto(tx, id);
        await audit({ action: "role.create", targetType: "role", targetId: id, after });
        return after;
      }),
    ),

  update: protectedProcedure
    .use(requirePermission("role.update"))
    .input(roleInput.extend({ id: idSchema }))
    .mutation(async ({ ctx, input }) =>
      withMutation(ctx, async (tx, audit) => {
        const role = await tx.role.findUnique({ where: { id: input.id } });
        if (!role) throw notFound("Role");
        assertEditable(role);
        assertCanGrant(ctx.viewer.bindings, input, null);
        const before = await roleDto(tx, input.id);
        const { id, ...data } = input;
        await tx.role.update({ where: { id }, data });
        const after = await roleDto(tx, id);
        await audit({ action: "role.update", targetType: "role", targetId: id, before, after });
        return after;
      }),
    ),

  delete: protectedProcedure
    .use(requirePermission("role.update"))
    .input(z.object({ id: idSchema }))
    .mutation(async ({ ctx, input }) =>
      withMutation(ctx, async (tx, audit) => {
        const role = await tx.role.findUnique({ where: { id: input.id } });
        if (!role) throw notFound("Role");
        assertEditable(role);
        const before = await roleDto(tx, input.id);
        if (before.bindings + before.mappings > 0) {
          throw new TRPCError({ code: "CONFLICT", message: `The role is still granted (${before.bindings} binding(s), ${before.mappings} group mapping(s)).` });
        }
        await tx.role.delete({ where: { id: input.id } });
        await audit({ action: "role.delete", targetType: "role", targetId: input.id, before });
        return { id: input.id };
      }),
    ),
});

import { TRPCError } from "@trpc/server";
import { newId } from "@portcullis/core";
import { z } from "zod";
import { notFound, teamsWhere } from "../../authz";
import { withMutation, type Tx } from "../../mutation";
import { createRouter, protectedProcedure, requirePermission } from "../../trpc/init";
import { descriptionSchema, idSchema, nameSchema } from "../schemas";
import { membersRouter } from "./members";

const slugSchema = z
  .string()
  .trim()
  .min(2, "At least 2 characters")
  .max(48)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "Lower-case letters, digits and single dashes, e.g. payments-eu");

const teamInput = z.object({
  name: nameSchema,
  slug: slugSchema,
  description: descriptionSchema,
  customerId: idSchema.nullable().optional(),
});

const teamInclude = { customer: { select: { name: true } }, _count: { select: { memberships: true, virtualKeys: true } } } as const;

async function teamDto(tx: Tx, id: string) {
  return toTeamDto(await tx.team.findUniqueOrThrow({ where: { id }, include: teamInclude }));
}

function toTeamDto(t: Awaited<ReturnType<typeof loadTeams>>[number]) {
  return {
    id: t.id,
    name: t.name,
    slug: t.slug,
    description: t.description,
    customerId: t.customerId,
    customerName: t.customer?.name ?? null,
    members: t._count.memberships,
    virtualKeys: t._count.virtualKeys,
    createdAt: t.createdAt.toISOString(),
  };
}

function loadTeams(tx: Tx, ids: string[] | "all") {
  return tx.team.findMany({ where: ids === "all" ? {} : { id: { in: ids } }, orderBy: { name: "asc" }, include: teamInclude });
}

async function assertCustomer(tx: Tx, customerId: string | null | undefined): Promise<void> {
  if (customerId && !(await tx.customer.findUnique({ where: { id: customerId }, select: { id: true } }))) {
    throw new TRPCError({ code: "BAD_REQUEST", message: "That customer does not exist." });
  }
}

export const teamsRouter = createRouter({
  /** Every team with a global grant; otherwise the caller's teams. */
  list: protectedProcedure.use(requirePermission("team.read", { reach: true })).query(async ({ ctx }) => {
    return (await loadTeams(ctx.prisma, teamsWhere(ctx.viewer.bindings, "team.read"))).map(toTeamDto);
  }),

  get: protectedProcedure
    .input(z.object({ id: idSchema }))
    .use(requirePermission("team.read", { teamOf: (i: { id: string }) => i.id }))
    .query(async ({ ctx, input }) => {
      if (!(await ctx.prisma.team.findUnique({ where: { id: input.id }, select: { id: true } }))) throw notFound("Team");
      return teamDto(ctx.prisma, input.id);
    }),

  create: protectedProcedure
    .use(requirePermission("team.update"))
    .input(teamInput)
    .mutation(async ({ ctx, input }) =>
      withMutation(ctx, async (tx, audit) => {
        await assertCustomer(tx, input.customerId);
        const id = newId("team");
        await tx.team.create({ data: { id, name: input.name, slug: input.slug, description: input.description ?? null, customerId: input.customerId ?? null } });
        const after = await teamDto(tx, id);
        await audit({ action: "team.create", targetType: "team", targetId: id, after });
        return after;
      }),
    ),

  update: protectedProcedure
    .input(teamInput.partial().extend({ id: idSchema }))
    .use(requirePermission("team.update", { teamOf: (i: { id: string }) => i.id }))
    .mutation(async ({ ctx, input }) =>
      withMutation(ctx, async (tx, audit) => {
        if (!(await tx.team.findUnique({ where: { id: input.id }, select: { id: true } }))) throw notFound("Team");
        // Moving a team between customers re-attributes its spend: an organisation-wide decision.
        if (input.customerId !== undefined && !ctx.viewer.bindings.some((b) => b.teamId === null && b.permissions.includes("team.update"))) {
          throw new TRPCError({ code: "FORBIDDEN", message: "Missing permission: team.update (organisation-wide) to change a team's customer." });
        }
        await assertCustomer(tx, input.customerId);
        const before = await teamDto(tx, input.id);
        const { id, ...data } = input;
        await tx.team.update({ where: { id }, data });
        const after = await teamDto(tx, id);
        await audit({ action: "team.update", targetType: "team", targetId: id, before, after });
        return after;
      }),
    ),

  /** Deletes a team without keys; one that ever owned keys is refused (their history stays attributable). */
  delete: protectedProcedure
    .use(requirePermission("team.update"))
    .input(z.object({ id: idSchema }))
    .mutation(async ({ ctx, input }) =>
      withMutation(ctx, async (tx, audit) => {
        if (!(await tx.team.findUnique({ where: { id: input.id }, select: { id: true } }))) throw notFound("Team");
        const before = await teamDto(tx, input.id);
        if (before.virtualKeys > 0) throw new TRPCError({ code: "CONFLICT", message: `The team owns ${before.virtualKeys} virtual key(s), revoked ones included; a team with key history cannot be deleted.` });
        await tx.budget.deleteMany({ where: { scopeType: "team", scopeId: input.id } });
        await tx.rateLimit.deleteMany({ where: { scopeType: "team", scopeId: input.id } });
        await tx.team.delete({ where: { id: input.id } });
        await audit({ action: "team.delete", targetType: "team", targetId: input.id, before });
        return { id: input.id };
      }),
    ),

  members: membersRouter,
});

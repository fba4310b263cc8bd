import { TRPCError } from "@trpc/server";
import { newId } from "@portcullis/core";
import { z } from "zod";
import { notFound } from "../authz";
import { withMutation, type Tx } from "../mutation";
import { createRouter, protectedProcedure, requirePermission } from "../trpc/init";
import { idSchema, nameSchema } from "./schemas";

const customerInput = z.object({
  name: nameSchema,
  externalId: z.string().trim().max(100).optional().transform((v) => v || null),
});

const include = { _count: { select: { teams: true, virtualKeys: true } } } as const;

async function customerDto(tx: Tx, id: string) {
  return toCustomerDto(await tx.customer.findUniqueOrThrow({ where: { id }, include }));
}

function toCustomerDto(c: { id: string; name: string; externalId: string | null; createdAt: Date; _count: { teams: number; virtualKeys: number } }) {
  return { id: c.id, name: c.name, externalId: c.externalId, teams: c._count.teams, virtualKeys: c._count.virtualKeys, createdAt: c.createdAt.toISOString() };
}

export const customersRouter = createRouter({
  list: protectedProcedure.use(requirePermission("customer.read")).query(async ({ ctx }) => {
    return (await ctx.prisma.customer.findMany({ orderBy: { name: "asc" }, include })).map(toCustomerDto);
  }),

  create: protectedProcedure
    .use(requirePermission("customer.update"))
    .input(customerInput)
    .mutation(async ({ ctx, input }) =>
      withMutation(ctx, async (tx, audit) => {
        const id = newId("customer");
        await tx.customer.create({ data: { id, ...input } });
        const after = await customerDto(tx, id);
        await audit({ action: "customer.create", targetType: "customer", targetId: id, after });
        return after;
      }),
    ),

  update: protectedProcedure
    .use(requirePermission("customer.update"))
    .input(customerInput.extend({ id: idSchema }))
    .mutation(async ({ ctx, input }) =>
      withMutation(ctx, async (tx, audit) => {
        if (!(await tx.customer.findUnique({ where: { id: input.id }, select: { id: true } }))) throw notFound("Customer");
        const before = await customerDto(tx, input.id);
        const { id, ...data } = input;
        await tx.customer.update({ where: { id }, data });
        const after = await customerDto(tx, id);
        await audit({ action: "customer.update", targetType: "customer", targetId: id, before, after });
        return after;
      }),
    ),

  delete: protectedProcedure
    .use(requirePermission("customer.update"))
    .input(z.object({ id: idSchema }))
    .mutation(async ({ ctx, input }) =>
      withMutation(ctx, async (tx, audit) => {
        if (!(await tx.customer.findUnique({ where: { id: input.id }, select: { id: true } }))) throw notFound("Customer");
        const before = await customerDto(tx, input.id);
        if (before.teams + before.virtualKeys > 0) {
          throw new TRPCError({ code: "CONFLICT", message: "The customer still has teams or virtual keys: move them first." });
        }
        await tx.budget.deleteMany({ where: { scopeType: "customer", scopeId: input.id } });
        await tx.rateLimit.deleteMany({ where: { scopeType: "customer", scopeId: input.id } });
        await tx.customer.delete({ where: { id: input.id } });
        await audit({ action: "customer.delete", targetType: "customer", targetId: input.id, before });
        return { id: input.id };
      }),
    ),
});

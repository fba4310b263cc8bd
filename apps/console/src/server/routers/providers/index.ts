import { TRPCError } from "@trpc/server";
import { catalogProviders, newId } from "@portcullis/core";
import { z } from "zod";
import { notFound } from "../../authz";
import { withMutation, type Tx } from "../../mutation";
import { createRouter, protectedProcedure, requirePermission } from "../../trpc/init";
import { idSchema } from "../schemas";
import { toProviderDto } from "./dto";
import { providerKeysRouter } from "./keys";
import { providerInput } from "./schemas";

async function providerDto(tx: Tx, id: string) {
  return toProviderDto(await tx.provider.findUniqueOrThrow({ where: { id }, include: { keys: { orderBy: { name: "asc" } } } }));
}

export const providersRouter = createRouter({
  list: protectedProcedure.use(requirePermission("provider.read")).query(async ({ ctx }) => {
    const rows = await ctx.prisma.provider.findMany({ orderBy: { name: "asc" }, include: { keys: { orderBy: { name: "asc" } } } });
    return { providers: rows.map(toProviderDto), types: catalogProviders, encryptionAvailable: Boolean(ctx.services.encryptionKey) };
  }),

  create: protectedProcedure
    .use(requirePermission("provider.update"))
    .input(providerInput)
    .mutation(async ({ ctx, input }) =>
      withMutation(ctx, async (tx, audit) => {
        const id = newId("provider");
        await tx.provider.create({ data: { id, ...input } });
        const after = await providerDto(tx, id);
        await audit({ action: "provider.create", targetType: "provider", targetId: id, after });
        return after;
      }),
    ),

  update: protectedProcedure
    .use(requirePermission("provider.update"))
    .input(providerInput.partial().extend({ id: idSchema }))
    .mutation(async ({ ctx, input }) =>
      withMutation(ctx, async (tx, audit) => {
        if (!(await tx.provider.findUnique({ where: { id: input.id }, select: { id: true } }))) throw notFound("Provider");
        const before = await providerDto(tx, input.id);
        const { id, ...data } = input;
        await tx.provider.update({ where: { id }, data });
        const after = await providerDto(tx, id);
        await audit({ action: "provider.update", targetType: "provider", targetId: id, before, after });
        return after;
      }),
    ),

  /** Deletes a provider that has no keys left (its keys hold credentials: delete them first, deliberately). */
  delete: protectedProcedure
    .use(requirePermission("provider.update"))
    .input(z.object({ id: idSchema }))
    .mutation(async ({ ctx, input }) =>
      withMutation(ctx, async (tx, audit) => {
        if (!(await tx.provider.findUnique({ where: { id: input.id }, select: { id: true } }))) throw notFound("Provider");
        const before = await providerDto(tx, input.id);
        if (before.keys.length) throw new TRPCError({ code: "CONFLICT", message: `Delete the provider's ${before.keys.length} key(s) first.` });
        await tx.provider.delete({ where: { id: input.id } });
        await audit({ action: "provider.delete", targetType: "provider", targetId: input.id, before });
        return { id: input.id };
      }),
    ),

  keys: providerKeysRouter,
});

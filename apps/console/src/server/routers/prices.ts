import { TRPCError } from "@trpc/server";
import { catalogProviders, modelCatalog, newId } from "@portcullis/core";
import type { Prisma } from "@portcullis/db";
import { z } from "zod";
import { notFound } from "../authz";
import { withMutation, type Tx } from "../mutation";
import { createRouter, protectedProcedure, requirePermission } from "../trpc/init";
import { idSchema } from "./schemas";

const perMTok = z.number().nonnegative("Cannot be negative").max(100_000);

type OverrideRow = Awaited<ReturnType<Tx["modelPrice"]["findFirstOrThrow"]>>;
const n = (d: Prisma.Decimal | null) => (d === null ? null : Number(d));

function overrideDto(p: OverrideRow) {
  return {
    id: p.id,
    provider: p.provider,
    model: p.model,
    inputPerMTok: Number(p.inputPerMTok),
    outputPerMTok: Number(p.outputPerMTok),
    cacheReadPerMTok: n(p.cacheReadPerMTok),
    cacheWritePerMTok: n(p.cacheWritePerMTok),
    effectiveFrom: p.effectiveFrom.toISOString(),
    source: p.source,
  };
}

/**
 * The price catalog: the built-in list prices (USD per 1M tokens, with their source and
 * date) and this install's overrides, the newest one in force winning.
 */
export const pricesRouter = createRouter({
  list: protectedProcedure
    .use(requirePermission("price.read"))
    .input(z.object({ provider: z.enum(catalogProviders).optional(), search: z.string().trim().max(100).optional() }).default({}))
    .query(async ({ ctx, input }) => {
      const now = new Date();
      const overrides = (await ctx.prisma.modelPrice.findMany({ orderBy: [{ provider: "asc" }, { model: "asc" }, { effectiveFrom: "desc" }] })).map(overrideDto);
      const inForce = (provider: string, model: string) => overrides.find((o) => o.provider === provider && o.model === model && new Date(o.effectiveFrom) <= now) ?? null;
      const search = input.search?.toLowerCase();
      const catalog = modelCatalog
        .filter((m) => (!input.provider || m.provider === input.provider) && (!search || m.model.toLowerCase().includes(search)))
        .map((m) => ({
          provider: m.provider,
          model: m.model,
          mode: m.mode,
          inputPerMTok: m.price.input,
          outputPerMTok: m.price.output,
          cacheReadPerMTok: m.price.cachedRead,
          cacheWritePerMTok: m.price.cachedWrite,
          tiered: Boolean(m.price.tiers?.length),
          source: m.source,
          asOf: m.asOf,
          override: inForce(m.provider, m.model),
        }));
      return { catalog, overrides, providers: catalogProviders };
    }),

  createOverride: protectedProcedure
    .use(requirePermission("price.update"))
    .input(
      z
        .object({
          provider: z.enum(catalogProviders),
          model: z.string().trim().min(1, "Enter the model id").max(200),
          inputPerMTok: perMTok,
          outputPerMTok: perMTok,
          cacheReadPerMTok: perMTok.nullable().default(null),
          cacheWritePerMTok: perMTok.nullable().default(null),
          effectiveFrom: z.iso.datetime({ offset: true }).optional(),
        })
        .refine((p) => p.cacheReadPerMTok === null || p.cacheReadPerMTok <= p.inputPerMTok, { path: ["cacheReadPerMTok"], message: "A cached read cannot cost more than input" }),
    )
    .mutation(async ({ ctx, input }) =>
      withMutation(ctx, async (tx, audit) => {
        const effectiveFrom = input.effectiveFrom ? new Date(input.effectiveFrom) : new Date();
        if (await tx.modelPrice.findFirst({ where: { provider: input.provider, model: input.model, effectiveFrom } })) {
          throw new TRPCError({ code: "CONFLICT", message: "An override for this model already starts at that moment." });
        }
        const row = await tx.modelPrice.create({
          data: { id: newId("price"), ...input, effectiveFrom, source: "manual", createdBy: ctx.viewer.user.id },
        });
        const after = overrideDto(row);
        await audit({ action: "price.create", targetType: "model_price", targetId: row.id, after });
        return after;
      }),
    ),

  deleteOverride: protectedProcedure
    .use(requirePermission("price.update"))
    .input(z.object({ id: idSchema }))
    .mutation(async ({ ctx, input }) =>
      withMutation(ctx, async (tx, audit) => {
        const row = await tx.modelPrice.findUnique({ where: { id: input.id } });
        if (!row) throw notFound("Price override");
        await tx.modelPrice.delete({ where: { id: row.id } });
        await audit({ action: "price.delete", targetType: "model_price", targetId: row.id, before: overrideDto(row) });
        return { id: row.id };
      }),
    ),
});

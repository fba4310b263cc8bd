import { TRPCError } from "@trpc/server";
import { newId } from "@portcullis/core";
import { routingRuleSpecSchema, strategyModes, validateRoutingRules, type RoutingRuleSpec } from "@portcullis/policy";
import { z } from "zod";
import { notFound } from "../authz";
import { withMutation, type Tx } from "../mutation";
import { createRouter, protectedProcedure, requirePermission } from "../trpc/init";
import { idSchema } from "./schemas";

type RuleRow = Awaited<ReturnType<Tx["routingRule"]["findFirstOrThrow"]>>;

/** How a stored rule reads as a spec (the gateway parses rows the same way: strategy = {mode, policy}, targets apart). */
function specOf(r: RuleRow): unknown {
  const strategy = (r.strategy ?? {}) as { mode?: string; policy?: unknown };
  return { name: r.name, priority: r.priority, enabled: r.enabled, match: r.match, strategy: { mode: strategy.mode ?? "fallback", targets: r.targets }, policy: strategy.policy ?? {} };
}

function ruleDto(r: RuleRow) {
  const strategy = (r.strategy ?? {}) as { mode?: string; policy?: unknown };
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    priority: r.priority,
    enabled: r.enabled,
    match: r.match as Record<string, unknown>,
    mode: strategy.mode ?? "fallback",
    targets: r.targets as unknown[],
    policy: (strategy.policy ?? {}) as Record<string, unknown>,
    valid: routingRuleSpecSchema.safeParse(specOf(r)).success,
  };
}

const ruleInput = z.object({
  id: idSchema.optional(),
  name: z.string().trim().min(1, "Enter a name").max(100),
  description: z.string().trim().max(500).optional().transform((v) => v || null),
  priority: z.number().int().min(0).max(1_000_000).default(100),
  enabled: z.boolean().default(true),
  match: z.record(z.string(), z.unknown()).default({}),
  mode: z.enum(strategyModes),
  targets: z.array(z.unknown()),
  policy: z.record(z.string(), z.unknown()).default({}),
});

const where = (path: PropertyKey[]) => (path.length ? path.map(String).join(".") : "rule");

/**
 * Checks a rule the way the gateway will read it, then against the configuration: targets
 * must name configured providers and keys, and no enabled rule may be unreachable.
 */
async function validated(tx: Tx, input: z.infer<typeof ruleInput>): Promise<RoutingRuleSpec> {
  const parsed = routingRuleSpecSchema.safeParse({ name: input.name, priority: input.priority, enabled: input.enabled, match: input.match, strategy: { mode: input.mode, targets: input.targets }, policy: input.policy });
  if (!parsed.success) {
    throw new TRPCError({ code: "BAD_REQUEST", message: `Invalid rule: ${parsed.error.issues.map((i) => `${where(i.path)}: ${i.message}`).join("; ")}` });
  }
  const others = await tx.routingRule.findMany({ where: input.id ? { id: { not: input.id } } : {} });
  const providers = await tx.provider.findMany({ select: { name: true, keys: { select: { name: true } } } });
  const existing = others.flatMap((r) => {
    const spec = routingRuleSpecSchema.safeParse(specOf(r));
    return spec.success ? [spec.data] : [];
  });
  const catalog = { providers: new Map(providers.map((p) => [p.name, new Set(p.keys.map((k) => k.name))])) };
  const problems = validateRoutingRules([...existing, parsed.data], catalog).filter((p) => p.rule === parsed.data.name);
  if (problems.length) throw new TRPCError({ code: "BAD_REQUEST", message: problems.map((p) => `${where(p.path)}: ${p.message}`).join("; ") });
  return parsed.data;
}

export const routingRouter = createRouter({
  list: protectedProcedure.use(requirePermission("routing.read")).query(async ({ ctx }) => {
    const rows = await ctx.prisma.routingRule.findMany({ orderBy: [{ priority: "asc" }, { name: "asc" }] });
    return { rules: rows.map(ruleDto), modes: strategyModes };
  }),

  /** Creates or replaces a rule after validating it as the gateway will read it. */
  save: protectedProcedure
    .use(requirePermission("routing.update"))
    .input(ruleInput)
    .mutation(async ({ ctx, input }) =>
      withMutation(ctx, async (tx, audit) => {
        const spec = await validated(tx, input);
        const data = {
          name: spec.name,
          description: input.description,
          priority: spec.priority,
          enabled: spec.enabled,
          match: spec.match,
          strategy: { mode: spec.strategy.mode, policy: spec.policy },
          targets: spec.strategy.targets as object[],
        };
        if (input.id) {
          const row = await tx.routingRule.findUnique({ where: { id: input.id } });
          if (!row) throw notFound("Routing rule");
          const updated = await tx.routingRule.update({ where: { id: row.id }, data });
          const after = ruleDto(updated);
          await audit({ action: "routing_rule.update", targetType: "routing_rule", targetId: row.id, before: ruleDto(row), after });
          return after;
        }
        const created = await tx.routingRule.create({ data: { id: newId("routingRule"), ...data, createdBy: ctx.viewer.user.id } });
        const after = ruleDto(created);
        await audit({ action: "routing_rule.create", targetType: "routing_rule", targetId: created.id, after });
        return after;
      }),
    ),

  delete: protectedProcedure
    .use(requirePermission("routing.update"))
    .input(z.object({ id: idSchema }))
    .mutation(async ({ ctx, input }) =>
      withMutation(ctx, async (tx, audit) => {
        const row = await tx.routingRule.findUnique({ where: { id: input.id } });
        if (!row) throw notFound("Routing rule");
        await tx.routingRule.delete({ where: { id: row.id } });
        await audit({ action: "routing_rule.delete", targetType: "routing_rule", targetId: row.id, before: ruleDto(row) });
        return { id: row.id };
      }),
    ),
});

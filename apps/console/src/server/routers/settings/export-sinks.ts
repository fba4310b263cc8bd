import { newId } from "@portcullis/core";
import { z } from "zod";
import { notFound } from "../../authz";
import { withMutation, type Tx } from "../../mutation";
import { createRouter, protectedProcedure, requirePermission } from "../../trpc/init";
import { idSchema } from "../schemas";

const ref = z.string().regex(/^(env|file|vault|aws-sm|gcp-sm|azure-kv):\/\/\S+$/, "must be a secret reference such as env://SPLUNK_TOKEN, never the secret itself");
const httpUrl = z.url({ protocol: /^https?$/, error: "Enter an http(s) URL" });

/**
 * The fields the console checks before saving; the worker validates the whole config again
 * when it exports (unknown fields pass through to it). Secrets only as references.
 */
const configByKind = {
  syslog: z.looseObject({ host: z.string().min(1, "Enter the collector host"), port: z.number().int().min(1).max(65535), transport: z.enum(["tcp", "tls"]).optional() }),
  webhook: z.looseObject({ url: httpUrl, format: z.enum(["splunk_hec", "json"]).optional(), tokenRef: ref.optional(), hmacSecretRef: ref.optional() }),
  file: z.looseObject({ path: z.string().min(1, "Enter a file path") }),
  otlp: z.looseObject({ endpoint: httpUrl, headerRefs: z.record(z.string(), ref).optional() }),
} as const;

const sinkInput = z
  .object({
    name: z.string().trim().min(1, "Enter a name").max(64),
    kind: z.enum(["syslog", "webhook", "file", "otlp"]),
    config: z.record(z.string(), z.unknown()),
    streams: z.array(z.enum(["audit", "requests"])).min(1, "Choose at least one stream"),
    enabled: z.boolean().default(true),
  })
  .superRefine((s, ctx) => {
    const parsed = configByKind[s.kind].safeParse(s.config);
    if (!parsed.success) for (const issue of parsed.error.issues) ctx.addIssue({ code: "custom", path: ["config", ...issue.path.map(String)], message: issue.message });
  });

async function sinkDto(tx: Tx, id: string) {
  const s = await tx.exportSink.findUniqueOrThrow({ where: { id }, include: { cursors: true, _count: { select: { deadLetters: { where: { resolvedAt: null } } } } } });
  return {
    id: s.id,
    name: s.name,
    kind: s.kind,
    config: s.config as Record<string, unknown>,
    streams: s.streams,
    enabled: s.enabled,
    deadLetters: s._count.deadLetters,
    cursors: s.cursors.map((c) => ({
      stream: c.stream,
      lastSeq: c.lastSeq.toString(),
      failures: c.failures,
      lastError: c.lastError,
      lastSuccessAt: c.lastSuccessAt?.toISOString() ?? null,
    })),
  };
}

export const exportSinksRouter = createRouter({
  list: protectedProcedure.use(requirePermission("export_sink.read")).query(async ({ ctx }) => {
    const rows = await ctx.prisma.exportSink.findMany({ orderBy: { name: "asc" }, select: { id: true } });
    return Promise.all(rows.map((r) => sinkDto(ctx.prisma, r.id)));
  }),

  create: protectedProcedure
    .use(requirePermission("export_sink.update"))
    .input(sinkInput)
    .mutation(async ({ ctx, input }) =>
      withMutation(ctx, async (tx, audit) => {
        const id = newId("exportSink");
        await tx.exportSink.create({ data: { id, ...input, config: input.config as object } });
        const after = await sinkDto(tx, id);
        await audit({ action: "export_sink.create", targetType: "export_sink", targetId: id, after });
        return after;
      }),
    ),

  update: protectedProcedure
    .use(requirePermission("export_sink.update"))
    .input(z.object({ id: idSchema, enabled: z.boolean() }))
    .mutation(async ({ ctx, input }) =>
      withMutation(ctx, async (tx, audit) => {
        if (!(await tx.exportSink.findUnique({ where: { id: input.id }, select: { id: true } }))) throw notFound("Export sink");
        const before = await sinkDto(tx, input.id);
        await tx.exportSink.update({ where: { id: input.id }, data: { enabled: input.enabled } });
        const after = await sinkDto(tx, input.id);
        await audit({ action: input.enabled ? "export_sink.enable" : "export_sink.disable", targetType: "export_sink", targetId: input.id, before, after });
        return after;
      }),
    ),

  delete: protectedProcedure
    .use(requirePermission("export_sink.update"))
    .input(z.object({ id: idSchema }))
    .mutation(async ({ ctx, input }) =>
      withMutation(ctx, async (tx, audit) => {
        if (!(await tx.exportSink.findUnique({ where: { id: input.id }, select: { id: true } }))) throw notFound("Export sink");
        const before = await sinkDto(tx, input.id);
        await tx.exportSink.delete({ where: { id: input.id } });
        // The durable cursors go with the sink: a sink re-created later starts from its startFrom setting.
        await audit({ action: "export_sink.delete", targetType: "export_sink", targetId: input.id, before });
        return { id: input.id };
      }),
    ),
});

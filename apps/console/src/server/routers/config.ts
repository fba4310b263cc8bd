import { hashVirtualKey } from "@portcullis/core";
import { applyConfig, ConfigFileError, exportDocument, formatApplyReport, parseConfig, readState } from "@portcullis/declarative";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { viewerLabel } from "../auth/console-sessions";
import { createRouter, protectedProcedure, requirePermission } from "../trpc/init";

/** Large enough for an install with 100,000 keys; the body is read whole before this check. */
const maxYamlChars = 64 * 1024 * 1024;

const applyInput = z.object({
  yaml: z.string().max(maxYamlChars, `the file is larger than ${maxYamlChars / 1024 / 1024} MiB`),
  dryRun: z.boolean(),
  /** The file's name on the caller's side, used only to name it in problems (`demo.yaml:12:5: …`). */
  file: z.string().trim().min(1).max(500).default("config.yaml"),
});

/**
 * The declarative configuration (`portcullis apply` / `export`) over the console: the same
 * engine as the CLI on the database, with the viewer (console user or API token's service
 * account) as the actor of every audit event.
 */
export const configRouter = createRouter({
  /** The whole configuration as a file `apply` accepts; secrets never appear (keys are hashes, credentials references). */
  export: protectedProcedure.use(requirePermission("config.export")).query(async ({ ctx }) => {
    return { yaml: exportDocument((await readState(ctx.prisma)).document) };
  }),

  /**
   * Plans the file against the database and, unless a dry run, applies it in ONE transaction
   * (rows, an audit event per change, one version bump), then publishes the version. A file
   * with problems is refused with 422, every problem named `file:line:column: path: reason`.
   */
  // `apply` is reserved in tRPC routers (Function.prototype.apply); the permission keeps the plain name.
  applyYaml: protectedProcedure
    .use(requirePermission("config.apply"))
    .input(applyInput)
    .mutation(async ({ ctx, input }) => {
      let loaded;
      try {
        loaded = parseConfig(input.file, input.yaml);
      } catch (e) {
        if (e instanceof ConfigFileError) throw new TRPCError({ code: "UNPROCESSABLE_CONTENT", message: e.message });
        throw e;
      }
      const outcome = await applyConfig(ctx.prisma, loaded, {
        dryRun: input.dryRun,
        hashKey: (k) => hashVirtualKey(ctx.services.keyPepper, k),
        actor: {
          type: ctx.viewer.actorType,
          id: ctx.viewer.user.id,
          label: viewerLabel(ctx.viewer),
          ip: ctx.meta.ip,
          userAgent: ctx.meta.userAgent,
          metadata: { via: ctx.viewer.actorType === "user" ? "console" : "api" },
        },
      });
      if ("problems" in outcome) throw new TRPCError({ code: "UNPROCESSABLE_CONTENT", message: new ConfigFileError(outcome.problems).message });
      const version = outcome.applied?.version;
      if (version !== undefined) await ctx.services.publishConfigChange(version);
      const createdKeys = outcome.applied?.createdKeys ?? [];
      return {
        dryRun: input.dryRun,
        changes: outcome.plan.changes,
        unchanged: outcome.plan.unchanged,
        version: version?.toString() ?? null,
        createdKeys,
        /** The report as `portcullis apply` prints it (plan, new version, generated keys once). */
        report: formatApplyReport(outcome.plan, { dryRun: input.dryRun, version, createdKeys }),
      };
    }),
});

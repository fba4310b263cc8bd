import { createRouter, protectedProcedure, requirePermission } from "../trpc/init";

/** Configuration delivery: the version in the database, the last published snapshot, and what each gateway reports. */
export const fleetRouter = createRouter({
  status: protectedProcedure.use(requirePermission("fleet.read")).query(async ({ ctx }) => {
    const [state, snapshot] = await Promise.all([
      ctx.prisma.configState.findUnique({ where: { id: 1 } }),
      ctx.prisma.configSnapshot.findFirst({ orderBy: { version: "desc" }, select: { version: true, hash: true, keyId: true, compiledAt: true, size: true } }),
    ]);
    const version = state?.version ?? 0n;
    let fleet = null;
    let fleetError: string | null = null;
    try {
      fleet = await ctx.services.readFleet(version);
    } catch (e) {
      fleetError = e instanceof Error ? e.message : "The bus did not answer.";
    }
    return {
      configVersion: version.toString(),
      configUpdatedAt: state?.updatedAt.toISOString() ?? null,
      snapshot: snapshot ? { version: snapshot.version.toString(), hash: snapshot.hash, keyId: snapshot.keyId, compiledAt: snapshot.compiledAt.toISOString(), size: snapshot.size } : null,
      fleet,
      fleetError,
      asOf: new Date().toISOString(),
    };
  }),
});

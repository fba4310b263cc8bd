import { probe, summarizeReadiness, type DependencyStatus } from "@portcullis/core";
import { getEnv } from "@/server/env";
import { busMode, getBus, getPrisma } from "@/server/services";

export const dynamic = "force-dynamic";

/** Readiness: the database answers `SELECT 1` and the config bus is reachable (or embedded). */
export async function GET(): Promise<Response> {
  let dependencies: DependencyStatus[];
  try {
    getEnv();
    dependencies = await Promise.all([
      probe("database", true, async () => {
        await getPrisma().$queryRaw`SELECT 1`;
        return "up";
      }),
      probe("bus", true, async () => {
        const mode = busMode();
        if (mode === "embedded") return { state: "embedded", detail: "in-process bus of portcullis start" };
        if (mode === "none") return { state: "down", detail: "REDIS_URL is not set and the console is not embedded" };
        await getBus().ping();
        return { state: "up", detail: "redis" };
      }),
    ]);
  } catch (e) {
    // Configuration errors name variables, never their values.
    dependencies = [{ name: "config", required: true, state: "down", detail: e instanceof Error ? e.message : String(e) }];
  }
  const readiness = summarizeReadiness(dependencies);
  return Response.json(
    { status: readiness.ready ? "ready" : "not_ready", ...readiness },
    { status: readiness.ready ? 200 : 503, headers: { "cache-control": "no-store" } },
  );
}

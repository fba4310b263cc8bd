import { createRedisBus, readFleetStatus, type FleetStatus } from "@portcullis/config-sync";
import { readConfigVersion } from "@portcullis/db";
import { apiTargetOf, runWithApi, type ApiFlags } from "../api-client";
import { openDatabase } from "../database";
import { readCliEnv } from "../env";
import { statusViaApi } from "./status-api";

export interface StatusOptions extends ApiFlags {
  json?: boolean;
}

/**
 * `portcullis status`: the committed configuration version, the newest signed snapshot, and
 * (with Redis) which gateways run which version. Exit code 0 when every reporting gateway is
 * at the committed version, 3 when some lag, 1 on error. With a console URL and an API token
 * (client mode) it reads the same through the management API instead of the database.
 */
export async function statusCommand(opts: StatusOptions): Promise<number> {
  const env = readCliEnv();
  const target = apiTargetOf(opts, env);
  if (target) return runWithApi(target, (client) => statusViaApi(client, opts));
  const db = await openDatabase(env);
  let version: bigint;
  let snapshot: { version: bigint; hash: string; keyId: string | null; compiledAt: Date; size: number } | null;
  try {
    version = await readConfigVersion(db.prisma);
    snapshot = await db.prisma.configSnapshot.findFirst({
      select: { version: true, hash: true, keyId: true, compiledAt: true, size: true },
      orderBy: { version: "desc" },
    });
  } finally {
    await db.close();
  }

  let fleet: FleetStatus | undefined;
  let fleetError: string | undefined;
  if (env.REDIS_URL) {
    const bus = createRedisBus(env.REDIS_URL);
    try {
      fleet = await readFleetStatus(bus, version, env.PORTCULLIS_NAMESPACE);
    } catch (e) {
      fleetError = `Redis unreachable: ${(e as Error).message}`;
    } finally {
      await bus.close();
    }
  }

  if (opts.json) {
    console.log(JSON.stringify({
      committedVersion: version.toString(),
      latestSnapshot: snapshot && { ...snapshot, version: snapshot.version.toString(), hash: snapshot.hash.trim() },
      fleet: fleet ?? null,
      fleetError: fleetError ?? (env.REDIS_URL ? null : "fleet status needs REDIS_URL"),
    }, null, 2));
  } else {
    console.log(`configuration  v${version} committed${db.embedded ? " (embedded database)" : ""}`);
    console.log(snapshot
      ? `signed         v${snapshot.version}, sha256 ${snapshot.hash.trim().slice(0, 12)}…, key ${snapshot.keyId ?? "?"}, ${formatBytes(snapshot.size)}, ${snapshot.compiledAt.toISOString()}`
      : "signed         no signed snapshot yet (published after the next change)");
    if (!env.REDIS_URL) {
      console.log("fleet          needs Redis (REDIS_URL): gateways report there. Without it the fleet is the embedded");
      console.log(`               gateway of \`portcullis start\`; its /readyz shows its version (port ${env.GATEWAY_PORT}).`);
    } else if (fleetError) {
      console.log(`fleet          ${fleetError}`);
    } else if (fleet) {
      console.log(`fleet          ${fleet.summary}`);
      for (const n of fleet.nodes) {
        const state = fleet.lagging.includes(n) ? "LAGGING" : "ok";
        const circuits = n.circuits ? ` circuits ${n.circuits.open} open, ${n.circuits.halfOpen} half-open of ${n.circuits.tracked}` : "";
        console.log(`  ${n.node.padEnd(24)} v${(n.version ?? "-").padEnd(8)} ${(n.source ?? "").padEnd(9)} ${state.padEnd(8)} applied ${n.appliedAt ?? "-"}${n.stale ? " (stale)" : ""}${circuits}`);
      }
      for (const c of fleet.openCircuits) console.log(`  circuit ${c.state.padEnd(9)} ${c.node}: ${c.target}${c.lastError ? ` (${c.lastError})` : ""}`);
    }
  }
  if (fleetError) return 1;
  return fleet && fleet.lagging.length > 0 ? 3 : 0;
}

function formatBytes(n: number): string {
  return n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

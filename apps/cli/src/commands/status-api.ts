import type { FleetStatus } from "@portcullis/config-sync";
import type { ApiClient } from "../api-client";

/** What GET /api/v1/fleet answers (the console's fleet.status). */
interface ApiFleetStatus {
  configVersion: string;
  snapshot: { version: string; hash: string; keyId: string | null; compiledAt: string; size: number } | null;
  fleet: FleetStatus | null;
  fleetError: string | null;
}

/** `portcullis status` against a running install: the same report, read through the management API (needs fleet.read). */
export async function statusViaApi(client: ApiClient, opts: { json?: boolean }): Promise<number> {
  const s = await client.request<ApiFleetStatus>("GET", "/fleet");
  if (opts.json) {
    console.log(JSON.stringify({ committedVersion: s.configVersion, latestSnapshot: s.snapshot, fleet: s.fleet, fleetError: s.fleetError, via: client.target.url }, null, 2));
  } else {
    console.log(`configuration  v${s.configVersion} committed (via ${client.target.url})`);
    console.log(s.snapshot
      ? `signed         v${s.snapshot.version}, sha256 ${s.snapshot.hash.trim().slice(0, 12)}…, key ${s.snapshot.keyId ?? "?"}, ${s.snapshot.size} B, ${s.snapshot.compiledAt}`
      : "signed         no signed snapshot yet (published after the next change)");
    if (s.fleetError) console.log(`fleet          ${s.fleetError}`);
    else if (!s.fleet) console.log("fleet          no gateway reports: the console has no bus to read them from (embedded mode shows the gateway's /readyz)");
    else {
      console.log(`fleet          ${s.fleet.summary}`);
      for (const n of s.fleet.nodes) {
        const state = s.fleet.lagging.some((l) => l.node === n.node) ? "LAGGING" : "ok";
        console.log(`  ${n.node.padEnd(24)} v${(n.version ?? "-").padEnd(8)} ${(n.source ?? "").padEnd(9)} ${state.padEnd(8)} applied ${n.appliedAt ?? "-"}${n.stale ? " (stale)" : ""}`);
      }
    }
  }
  if (s.fleetError) return 1;
  return s.fleet && s.fleet.lagging.length > 0 ? 3 : 0;
}

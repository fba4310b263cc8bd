import type { DependencyStatus } from "@portcullis/core";
import type { SnapshotSource } from "./snapshot-sources";

/** What a gateway says about its configuration on `/readyz` and in its fleet report. */
export interface ConfigSyncStatus {
  /** Version held, or null before any configuration was loaded. */
  version: string | null;
  hash: string | null;
  appliedAt: string | null;
  source: SnapshotSource | null;
  /**
   * True when the configuration may be behind: nothing loaded yet, served from the disk cache
   * without a live store confirming it, a newer version known but not loaded, or no
   * configuration store reachable.
   */
  stale: boolean;
  lastError: string | null;
  /** Newest version seen on the bus or in PostgreSQL. */
  latestKnownVersion: string | null;
  /** One line for humans, e.g. "serving last good configuration from disk, v41". */
  detail: string;
}

export interface StatusFacts {
  version: string | null;
  source: SnapshotSource | null;
  latestKnown: string | null;
  behind: boolean;
  reachable: boolean;
  confirmed: boolean;
  lastError: string | null;
}

/** Pure: the human line for a status. */
export function describeConfigStatus(f: StatusFacts): string {
  const why = f.lastError ? `: ${f.lastError}` : "";
  if (f.version === null) return `no configuration loaded${why}`;
  if (f.source === "disk" && !f.confirmed) {
    return `serving last good configuration from disk, v${f.version}${f.reachable ? "" : " (Redis and PostgreSQL unreachable)"}`;
  }
  if (f.behind) return `serving v${f.version}; v${f.latestKnown} is not loaded yet${why}`;
  if (!f.reachable) return `serving last good configuration v${f.version}; configuration stores unreachable${why}`;
  return `v${f.version} from ${f.source}`;
}

/** The `/readyz` entry: down without configuration, degraded while stale, up otherwise. */
export function configDependencyStatus(s: ConfigSyncStatus): DependencyStatus {
  return { name: "config", required: true, state: s.version === null ? "down" : s.stale ? "degraded" : "up", detail: s.detail };
}

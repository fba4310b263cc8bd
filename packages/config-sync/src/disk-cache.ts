import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { ConfigSnapshot } from "@portcullis/core";

/** The last good snapshot on local disk, for a cold start with the stores down. */
export function snapshotCachePath(dataDir: string): string {
  return join(dataDir, "config-snapshot.json");
}

/** Written to a temporary file and renamed, so a crash never leaves half a snapshot. */
export function writeSnapshotCache(dataDir: string, snapshot: ConfigSnapshot): void {
  const path = snapshotCachePath(dataDir);
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(snapshot), { mode: 0o600 });
  renameSync(tmp, path);
}

export function readSnapshotCache(dataDir: string): ConfigSnapshot | undefined {
  try {
    return JSON.parse(readFileSync(snapshotCachePath(dataDir), "utf8")) as ConfigSnapshot;
  } catch {
    return undefined;
  }
}

import type { KeyObject } from "node:crypto";
import type { ConfigSnapshot } from "@portcullis/core";
import type { PrismaClient } from "@portcullis/db";
import type { Bus } from "./bus";
import { compileSnapshot } from "./compile";
import { decodeSignedSnapshotAsync } from "./envelope";
import { buildHashTreeAsync, type HashTree } from "./hash-tree";
import { readSignedCache } from "./signed-cache";
import { checkSnapshotSignature, parseSnapshotData, verifiedContent, type SignedSnapshot } from "./signing";
import { loadLatestSignedSnapshot, loadSignedSnapshot } from "./snapshot-store";

export type SnapshotSource = "bus" | "database" | "disk" | "compiled";

/** A snapshot ready to apply. `signed` is absent only for one compiled locally from PostgreSQL. */
export interface LoadedSnapshot {
  snapshot: ConfigSnapshot;
  hash: string;
  /** Its hash tree (root = hash), kept so the next delta re-hashes only what it touches. */
  tree: HashTree;
  source: SnapshotSource;
  /** Its signature; `data` is absent when it was built from a delta (serialized later, for the disk copy). */
  signed?: Omit<SignedSnapshot, "data"> & { data?: Buffer };
}

export interface Rejection {
  version: string | null;
  source: SnapshotSource;
  reason: string;
}

/** undefined: nothing there. Store errors (Redis or PostgreSQL down) are thrown. */
export type LoadOutcome = LoadedSnapshot | { rejected: Rejection } | undefined;

export const isRejected = (o: LoadOutcome): o is { rejected: Rejection } => o !== undefined && "rejected" in o;

/** verifySnapshot, with the tree computed in slices: a serving gateway keeps answering meanwhile. */
async function verified(signed: SignedSnapshot, source: SnapshotSource, publicKeys: readonly KeyObject[]): Promise<LoadOutcome> {
  const rejected = (reason: string): LoadOutcome => ({ rejected: { version: signed.version, source, reason } });
  const bad = checkSnapshotSignature(signed, publicKeys);
  if (bad) return rejected(bad);
  const snapshot = parseSnapshotData(signed.data);
  if (!snapshot) return rejected("content is not a JSON object");
  const result = verifiedContent(signed, snapshot, await buildHashTreeAsync(snapshot));
  if (!result.ok) return rejected(result.reason);
  return { snapshot: result.snapshot, hash: signed.hash, tree: result.tree, source, signed };
}

export async function loadFromBus(bus: Bus, key: string, publicKeys: readonly KeyObject[]): Promise<LoadOutcome> {
  const blob = await bus.get(key);
  if (!blob) return undefined;
  let signed: SignedSnapshot;
  try {
    signed = await decodeSignedSnapshotAsync(blob);
  } catch (e) {
    return { rejected: { version: null, source: "bus", reason: `unreadable snapshot at ${key}: ${(e as Error).message}` } };
  }
  return verified(signed, "bus", publicKeys);
}

export async function loadFromDatabase(prisma: PrismaClient, version: string | "latest", publicKeys: readonly KeyObject[]): Promise<LoadOutcome> {
  const signed = version === "latest" ? await loadLatestSignedSnapshot(prisma) : await loadSignedSnapshot(prisma, version);
  return signed ? verified(signed, "database", publicKeys) : undefined;
}

/** Never throws: a missing or unreadable cache is just no cache (a tampered one is a rejection). */
export async function loadFromDisk(dataDir: string, publicKeys: readonly KeyObject[]): Promise<LoadOutcome> {
  const signed = await readSignedCache(dataDir);
  if (signed === undefined) return undefined;
  if (signed instanceof Error) return { rejected: { version: null, source: "disk", reason: `unreadable disk cache: ${signed.message}` } };
  return verified(signed, "disk", publicKeys);
}

/** PostgreSQL is the source of truth: a snapshot compiled from it needs no signature. */
export async function compileFromDatabase(prisma: PrismaClient): Promise<LoadedSnapshot> {
  const snapshot = await compileSnapshot(prisma);
  const tree = await buildHashTreeAsync(snapshot);
  return { snapshot, hash: tree.root, tree, source: "compiled" };
}

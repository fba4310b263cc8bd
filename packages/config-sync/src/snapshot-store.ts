import type { KeyObject } from "node:crypto";
import type { PrismaClient } from "@portcullis/db";
import { checkSnapshotSignature, type SignedSnapshot } from "./signing";

type Row = { version: bigint; hash: string; signature: string; keyId: string | null; data: Uint8Array };

const toSigned = (row: Row): SignedSnapshot => ({
  version: row.version.toString(),
  hash: row.hash.trim(),
  signature: row.signature,
  keyId: row.keyId ?? "",
  data: Buffer.from(row.data.buffer, row.data.byteOffset, row.data.byteLength),
});

/**
 * Stores a signed snapshot in `config_snapshots` unless that version is already there signed
 * by the same key: the first publisher of a version wins, so every gateway sees one hash per
 * version. A row signed by another key (before a key rotation) is re-signed, and so is one
 * whose signature `publicKey` (the signer's) does not verify (an older signing scheme).
 * Returns the row as stored.
 */
export async function storeSignedSnapshot(prisma: PrismaClient, s: SignedSnapshot, compiledAt: Date, publicKey?: KeyObject): Promise<SignedSnapshot> {
  const version = BigInt(s.version);
  const fields = { hash: s.hash, signature: s.signature, keyId: s.keyId, compiledAt, size: s.data.byteLength, data: new Uint8Array(s.data.buffer as ArrayBuffer, s.data.byteOffset, s.data.byteLength) };
  await prisma.configSnapshot.createMany({ data: [{ version, ...fields }], skipDuplicates: true });
  // The header first: the data (megabytes at scale) is read back only if another publisher won.
  const stored = await prisma.configSnapshot.findUniqueOrThrow({ where: { version }, select: { hash: true, keyId: true, signature: true } });
  const current = !publicKey || !checkSnapshotSignature({ version: s.version, hash: stored.hash.trim(), keyId: stored.keyId ?? "", signature: stored.signature }, [publicKey]);
  if (stored.keyId === s.keyId && current) return stored.hash.trim() === s.hash ? s : (await loadSignedSnapshot(prisma, version))!;
  await prisma.configSnapshot.update({ where: { version }, data: fields });
  return s;
}

export async function loadSignedSnapshot(prisma: PrismaClient, version: bigint | string): Promise<SignedSnapshot | undefined> {
  const row = await prisma.configSnapshot.findUnique({ where: { version: BigInt(version) } });
  return row ? toSigned(row) : undefined;
}

/** The newest stored snapshot, optionally below a version (the base a delta is computed from). */
export async function loadLatestSignedSnapshot(prisma: PrismaClient, below?: bigint | string): Promise<SignedSnapshot | undefined> {
  const row = await prisma.configSnapshot.findFirst({
    where: below === undefined ? {} : { version: { lt: BigInt(below) } },
    orderBy: { version: "desc" },
  });
  return row ? toSigned(row) : undefined;
}

/** A stored version's hash and signature, without its data; undefined when not stored. */
export async function loadSnapshotHeader(prisma: PrismaClient, version: bigint | string): Promise<Omit<SignedSnapshot, "data"> | undefined> {
  const row = await prisma.configSnapshot.findUnique({ where: { version: BigInt(version) }, select: { version: true, hash: true, signature: true, keyId: true } });
  return row ? { version: row.version.toString(), hash: row.hash.trim(), signature: row.signature, keyId: row.keyId ?? "" } : undefined;
}

/** Version of the newest stored snapshot (optionally below a version), without loading its data. */
export async function latestStoredVersion(prisma: PrismaClient, below?: bigint | string): Promise<bigint | undefined> {
  const row = await prisma.configSnapshot.findFirst({
    select: { version: true },
    where: below === undefined ? {} : { version: { lt: BigInt(below) } },
    orderBy: { version: "desc" },
  });
  return row?.version;
}

/** Keeps the newest `keep` snapshots (each is the whole configuration; old ones only serve deltas). */
export async function pruneSignedSnapshots(prisma: PrismaClient, keep: number): Promise<number> {
  const cutoff = await prisma.configSnapshot.findFirst({ select: { version: true }, orderBy: { version: "desc" }, skip: Math.max(keep, 1) - 1 });
  if (!cutoff) return 0;
  const { count } = await prisma.configSnapshot.deleteMany({ where: { version: { lt: cutoff.version } } });
  return count;
}

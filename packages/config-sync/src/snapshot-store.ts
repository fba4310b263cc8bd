import type { PrismaClient } from "@portcullis/db";
import type { SignedSnapshot } from "./signing";

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
 * version. A row signed by another key (before a key rotation) is re-signed. Returns the row
 * as stored.
 */
export async function storeSignedSnapshot(prisma: PrismaClient, s: SignedSnapshot, compiledAt: Date): Promise<SignedSnapshot> {
  const version = BigInt(s.version);
  const fields = { hash: s.hash, signature: s.signature, keyId: s.keyId, compiledAt, size: s.data.byteLength, data: new Uint8Array(s.data) };
  await prisma.configSnapshot.createMany({ data: [{ version, ...fields }], skipDuplicates: true });
  // The header first: the data (megabytes at scale) is read back only if another publisher won.
  const stored = await prisma.configSnapshot.findUniqueOrThrow({ where: { version }, select: { hash: true, keyId: true } });
  if (stored.keyId === s.keyId) return stored.hash.trim() === s.hash ? s : (await loadSignedSnapshot(prisma, version))!;
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

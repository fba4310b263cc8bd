import { promisify } from "node:util";
import { gunzip, gunzipSync, gzipSync } from "node:zlib";
import type { SignedSnapshot } from "./signing";

const MAGIC = "portcullis-signed-snapshot/v1 ";

/**
 * One buffer for the bus and the disk cache: a header line (`MAGIC` + JSON of version, hash,
 * keyId, signature) then the canonical bytes unchanged, so verifying hashes them as they
 * arrived. Gzipped by default: a 100k-key snapshot is mostly repeated field names.
 */
export function encodeSignedSnapshot(s: SignedSnapshot, opts: { gzip?: boolean } = {}): Buffer {
  const header = JSON.stringify({ version: s.version, hash: s.hash, keyId: s.keyId, signature: s.signature });
  const raw = Buffer.concat([Buffer.from(`${MAGIC}${header}\n`, "utf8"), s.data]);
  return opts.gzip === false ? raw : gzipSync(raw, { level: 1 });
}

const gunzipAsync = promisify(gunzip);
const isGzip = (buf: Buffer) => buf[0] === 0x1f && buf[1] === 0x8b;

/** decodeSignedSnapshot with the decompression on the thread pool (for a serving gateway). */
export async function decodeSignedSnapshotAsync(buf: Buffer): Promise<SignedSnapshot> {
  return decodeSignedSnapshot(isGzip(buf) ? await gunzipAsync(buf) : buf);
}

/** Parses the layout only; the result must still go through verifySnapshot. */
export function decodeSignedSnapshot(buf: Buffer): SignedSnapshot {
  const raw = isGzip(buf) ? gunzipSync(buf) : buf;
  const nl = raw.indexOf(0x0a);
  if (nl < 0 || raw.subarray(0, MAGIC.length).toString("utf8") !== MAGIC) throw new Error("not a signed configuration snapshot");
  const header = JSON.parse(raw.subarray(MAGIC.length, nl).toString("utf8")) as Partial<SignedSnapshot>;
  const { version, hash, keyId, signature } = header;
  if (typeof version !== "string" || typeof hash !== "string" || typeof keyId !== "string" || typeof signature !== "string") {
    throw new Error("signed snapshot header is incomplete");
  }
  return { version, hash, keyId, signature, data: raw.subarray(nl + 1) };
}

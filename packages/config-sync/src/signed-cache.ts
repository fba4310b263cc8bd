import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import { decodeSignedSnapshotAsync, encodeSignedSnapshot } from "./envelope";
import type { SignedSnapshot } from "./signing";

const gzipAsync = promisify(gzip);

/** The last applied snapshot with its signature, for a cold start with Redis and PostgreSQL down. */
export function signedCachePath(dataDir: string): string {
  return join(dataDir, "config-snapshot.signed");
}

/** Temporary file then rename: a crash never leaves half a snapshot behind. */
export async function writeSignedCache(dataDir: string, s: SignedSnapshot): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  const path = signedCachePath(dataDir);
  const tmp = `${path}.${process.pid}.tmp`;
  // Compressed on the thread pool: a gateway keeps serving while a large snapshot is written.
  await writeFile(tmp, await gzipAsync(encodeSignedSnapshot(s, { gzip: false }), { level: 1 }), { mode: 0o600 });
  await rename(tmp, path);
}

/** The cached envelope (unverified: the caller verifies), undefined when there is none, or the parse error. */
export async function readSignedCache(dataDir: string): Promise<SignedSnapshot | undefined | Error> {
  let buf: Buffer;
  try {
    buf = await readFile(signedCachePath(dataDir));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    return e as Error;
  }
  try {
    return await decodeSignedSnapshotAsync(buf);
  } catch (e) {
    return e as Error;
  }
}

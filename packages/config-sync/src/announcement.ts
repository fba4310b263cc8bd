import type { KeyObject } from "node:crypto";
import type { SnapshotDelta } from "./delta";
import { deltaSigningPayload, signPayload, snapshotSigningPayload, verifyPayload } from "./signing";

/**
 * What the publisher sends on the config channel after each commit. `hash` is the sha256 of
 * the canonical snapshot at `version`; a gateway at `prevVersion` applies `delta` and keeps
 * the result only if it hashes to `hash`. `signature` covers version|prevVersion|hash;
 * `snapshotSignature` is the snapshot's own signature (version|hash), so a gateway that built
 * the snapshot from a delta can still keep a verifiable copy on disk.
 */
export interface ConfigAnnouncement {
  version: string;
  prevVersion: string | null;
  /**
   * Hash of the snapshot the delta applies to. Not signed (the result's hash is): it only
   * spares a gateway holding another build of prevVersion (compiled locally) a doomed attempt.
   */
  prevHash: string | null;
  hash: string;
  keyId: string;
  signature: string;
  snapshotSignature: string;
  /** Null when there is no previous snapshot or the change is too large to ship as a delta. */
  delta: SnapshotDelta | null;
}

export function signAnnouncement(
  fields: Omit<ConfigAnnouncement, "signature">,
  key: KeyObject,
): ConfigAnnouncement {
  return { ...fields, signature: signPayload(deltaSigningPayload(fields.version, fields.prevVersion, fields.hash), key) };
}

/** Both signatures: the announcement's and the snapshot's. */
export function verifyAnnouncement(a: ConfigAnnouncement, publicKeys: readonly KeyObject[]): string | undefined {
  if (!verifyPayload(deltaSigningPayload(a.version, a.prevVersion, a.hash), a.signature, a.keyId, publicKeys)) {
    return `announcement of v${a.version} has a bad signature or an untrusted key (${a.keyId})`;
  }
  if (!verifyPayload(snapshotSigningPayload(a.version, a.hash), a.snapshotSignature, a.keyId, publicKeys)) {
    return `announcement of v${a.version} carries a bad snapshot signature`;
  }
  return undefined;
}

const isStr = (v: unknown): v is string => typeof v === "string";

/** Shape check only (the message came from Redis); signatures are checked separately. */
export function parseAnnouncement(text: string): ConfigAnnouncement | undefined {
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof m !== "object" || m === null) return undefined;
  const a = m as Record<string, unknown>;
  if (!isStr(a.version) || !/^\d+$/.test(a.version) || !isStr(a.hash) || !isStr(a.keyId) || !isStr(a.signature) || !isStr(a.snapshotSignature)) return undefined;
  if (a.prevVersion !== null && !(isStr(a.prevVersion) && /^\d+$/.test(a.prevVersion))) return undefined;
  if (a.prevHash !== null && !isStr(a.prevHash)) return undefined;
  const delta = a.delta;
  const deltaOk =
    delta === null ||
    (typeof delta === "object" && delta !== null && isStr((delta as SnapshotDelta).version) &&
      typeof (delta as SnapshotDelta).records === "object" && typeof (delta as SnapshotDelta).replace === "object");
  if (!deltaOk) return undefined;
  return a as unknown as ConfigAnnouncement;
}

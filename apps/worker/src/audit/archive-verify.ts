import { createHash, type KeyObject } from "node:crypto";
import { readFile } from "node:fs/promises";
import { verifyChain, verifyCheckpointSignature, verifyDocumentSignature, type ChainRow } from "@portcullis/audit";
import { archiveSignatureSuffix, type ArchiveManifest } from "./archive";

export interface ArchiveVerifyReport {
  ok: boolean;
  events: number;
  problems: string[];
}

/**
 * Checks an archive file on its own (no database): the manifest signature, the file digest,
 * the checkpoint signature, and that the rows form an unbroken chain from the manifest's start
 * hash to its signed head.
 */
export async function verifyArchiveFile(path: string, keys: ReadonlyMap<string, KeyObject>): Promise<ArchiveVerifyReport> {
  const problems: string[] = [];
  const { manifest, signature } = JSON.parse(await readFile(`${path}${archiveSignatureSuffix}`, "utf8")) as { manifest: ArchiveManifest; signature: string };
  const key = keys.get(manifest.keyId);
  if (!key) problems.push(`manifest signed by unknown key ${manifest.keyId}`);
  else if (!verifyDocumentSignature(key, manifest, signature)) problems.push("manifest signature does not verify");
  const cpKey = keys.get(manifest.checkpoint.keyId);
  if (!cpKey || !verifyCheckpointSignature(cpKey, manifest.checkpoint)) problems.push(`checkpoint ${manifest.checkpoint.seq} signature does not verify`);

  const bytes = await readFile(path);
  if (createHash("sha256").update(bytes).digest("hex") !== manifest.sha256) problems.push("file digest differs from the manifest");
  const rows = bytes
    .toString("utf8")
    .split("\n")
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as ChainRow);
  if (rows.length !== manifest.events) problems.push(`file holds ${rows.length} events, manifest says ${manifest.events}`);
  const chain = verifyChain(rows, manifest.startPrevHash);
  if (chain.firstBroken) problems.push(`chain broken at seq ${chain.firstBroken.seq} (${chain.firstBroken.id}): ${chain.firstBroken.reason}`);
  else if (chain.lastHash !== manifest.headHash || manifest.headHash !== manifest.checkpoint.headHash) problems.push("last event does not end at the signed head hash");
  return { ok: problems.length === 0, events: rows.length, problems };
}

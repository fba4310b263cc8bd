import type { KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { archiveAuditEvents, auditKeyRing, createAuditCheckpoint, resolveAuditSigningKey, verifyStoredChain, type AuditVerifyReport } from "@portcullis/worker";
import { openDatabase } from "../database";
import { readCliEnv, type CliEnv } from "../env";

/** The signing key: PORTCULLIS_AUDIT_SIGNING_KEY, or (embedded only) the one in the data dir. */
function signingKey(env: CliEnv, required: true): KeyObject;
function signingKey(env: CliEnv, required: false): KeyObject | undefined;
function signingKey(env: CliEnv, required: boolean): KeyObject | undefined {
  const embedded = !env.DATABASE_URL;
  if (!env.PORTCULLIS_AUDIT_SIGNING_KEY && !embedded && !required) return undefined;
  return resolveAuditSigningKey({ configured: env.PORTCULLIS_AUDIT_SIGNING_KEY, dataDir: embedded ? resolve(env.PORTCULLIS_DATA_DIR) : undefined });
}

/** `--from` / `--to`: a seq number or an ISO-8601 instant. */
export function parseBound(value: string | undefined, flag: string): bigint | Date | undefined {
  if (value === undefined) return undefined;
  if (/^\d+$/.test(value)) return BigInt(value);
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new Error(`${flag} must be a seq number or an ISO-8601 time, got ${JSON.stringify(value)}`);
  return new Date(ms);
}

export function describeReport(r: AuditVerifyReport): string[] {
  const lines: string[] = [];
  const start = r.anchor.kind === "genesis" ? "the start of the chain" : r.anchor.kind === "archive" ? `archived checkpoint seq ${r.anchor.seq}` : `seq ${r.anchor.seq}`;
  if (r.firstBroken) {
    const b = r.firstBroken;
    lines.push(`BROKEN at seq ${b.seq} (${b.id}): ${b.reason}`);
    if (b.reason === "hash mismatch") lines.push(`  stored hash ${b.actual}`, `  recomputed  ${b.expected}`);
    else lines.push(`  prev_hash ${b.actual}`, `  expected  ${b.expected}`);
    if (b.after) lines.push(`  last intact event: seq ${b.after.seq} (${b.after.id})`);
  } else {
    lines.push(`verified ${r.checked} event(s) from ${start}${r.lastSeq ? ` through seq ${r.lastSeq}` : ""}; head ${r.lastHash}`);
  }
  const c = r.checkpoints;
  lines.push(`checkpoints: ${c.checked} in range${c.unverifiedSignatures ? `, ${c.unverifiedSignatures} signature(s) NOT verified (no key)` : c.checked ? ", signatures verified" : ""}`);
  for (const p of c.problems) lines.push(`CHECKPOINT seq ${p.seq}: ${p.problem}`);
  lines.push(r.ok ? "OK" : "FAILED");
  return lines;
}

/** `portcullis audit verify`: exit 0 when the chain and its checkpoints verify, 1 otherwise. */
export async function auditVerifyCommand(o: { from?: string; to?: string; publicKey?: string[]; json?: boolean }): Promise<number> {
  const env = readCliEnv();
  const from = parseBound(o.from, "--from");
  const to = parseBound(o.to, "--to");
  const keys = auditKeyRing(signingKey(env, false), (o.publicKey ?? []).map((file) => readFileSync(file, "utf8")));
  const db = await openDatabase(env);
  try {
    const report = await verifyStoredChain(db.prisma, { from, to, keys });
    if (o.json) console.log(JSON.stringify(report, null, 2));
    else for (const line of describeReport(report)) console.log(line);
    return report.ok ? 0 : 1;
  } finally {
    await db.close();
  }
}

/** `portcullis audit checkpoint`: signs the current head (after proving the chain up to it). */
export async function auditCheckpointCommand(): Promise<number> {
  const env = readCliEnv();
  const key = signingKey(env, true);
  const db = await openDatabase(env);
  try {
    const r = await createAuditCheckpoint(db.prisma, key);
    if (r.created) console.log(`signed checkpoint at seq ${r.checkpoint.seq} (head ${r.checkpoint.headHash}, key ${r.checkpoint.keyId})`);
    else console.log(r.reason === "exists" ? `the head (seq ${r.checkpoint?.seq}) is already checkpointed` : `nothing to checkpoint: ${r.reason}`);
    return 0;
  } finally {
    await db.close();
  }
}

/** `portcullis audit archive --before <iso> -o <dir>`: signed JSONL archive, then prune. */
export async function auditArchiveCommand(o: { before: string; output: string; allowUnexported?: boolean }): Promise<number> {
  const before = parseBound(o.before, "--before");
  if (!(before instanceof Date)) throw new Error("--before must be an ISO-8601 time");
  const env = readCliEnv();
  const key = signingKey(env, true);
  const db = await openDatabase(env);
  try {
    const r = await archiveAuditEvents(db.prisma, key, { before, outDir: resolve(o.output), allowUnexported: o.allowUnexported });
    if (!r.done) console.log(`nothing archived: ${r.reason}`);
    else {
      console.log(`archived ${r.archived} event(s), seq ${r.manifest.fromSeq}..${r.manifest.toSeq}; pruned ${r.pruned} (the last one stays as the chain's stored head)`);
      console.log(`  ${r.file}\n  ${r.signatureFile}`);
    }
    return 0;
  } finally {
    await db.close();
  }
}

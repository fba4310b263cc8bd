import type { ExportStream, PrismaClient } from "@portcullis/db";

/** A held lease on one (sink, stream) cursor. */
export interface CursorLease {
  sinkId: string;
  stream: ExportStream;
  lastSeq: bigint;
  failures: number;
}

/**
 * Takes the cursor's lease if it is free, expired or already ours, and the cursor is not
 * backing off. One statement, so two workers can never both hold it. Creates the cursor on
 * first use: at seq 0 (the whole retained history) or, with startFrom "now", at the head.
 */
export async function acquireCursor(
  prisma: PrismaClient,
  sinkId: string,
  stream: ExportStream,
  owner: string,
  leaseMs: number,
  startFrom: "beginning" | "now" = "beginning",
): Promise<CursorLease | undefined> {
  const exists = await prisma.exportCursor.count({ where: { sinkId, stream } });
  if (!exists) {
    let lastSeq = 0n;
    if (startFrom === "now") {
      const head = stream === "audit" ? await prisma.auditEvent.aggregate({ _max: { seq: true } }) : await prisma.requestLog.aggregate({ _max: { seq: true } });
      lastSeq = head._max.seq ?? 0n;
    }
    await prisma.exportCursor.createMany({ data: [{ sinkId, stream, lastSeq }], skipDuplicates: true });
  }
  const rows = await prisma.$queryRaw<{ last_seq: bigint; failures: number }[]>`
    UPDATE export_cursors
       SET lease_owner = ${owner}, lease_until = now() + make_interval(secs => ${leaseMs / 1000}::float8)
     WHERE sink_id = ${sinkId} AND stream = ${stream}::export_stream
       AND (lease_owner IS NULL OR lease_owner = ${owner} OR lease_until < now())
       AND (retry_at IS NULL OR retry_at <= now())
    RETURNING last_seq, failures`;
  const row = rows[0];
  return row ? { sinkId, stream, lastSeq: row.last_seq, failures: row.failures } : undefined;
}

/** Moves the cursor after a delivery; false when the lease was lost meanwhile (stop then). */
export async function advanceCursor(prisma: PrismaClient, lease: CursorLease, owner: string, leaseMs: number, seq: bigint, id: string): Promise<boolean> {
  const n = await prisma.$executeRaw`
    UPDATE export_cursors
       SET last_seq = ${seq}, last_id = ${id}, failures = 0, last_error = NULL, retry_at = NULL,
           last_success_at = now(), updated_at = now(),
           lease_until = now() + make_interval(secs => ${leaseMs / 1000}::float8)
     WHERE sink_id = ${lease.sinkId} AND stream = ${lease.stream}::export_stream
       AND lease_owner = ${owner} AND last_seq = ${lease.lastSeq}`;
  if (n === 1) {
    lease.lastSeq = seq;
    lease.failures = 0;
  }
  return n === 1;
}

/** Records a failed attempt and when to try again; gives the lease up. */
export async function failCursor(prisma: PrismaClient, lease: CursorLease, owner: string, error: string, retryInMs: number): Promise<void> {
  lease.failures++;
  await prisma.$executeRaw`
    UPDATE export_cursors
       SET failures = ${lease.failures}, last_error = ${error.slice(0, 1000)}, updated_at = now(),
           retry_at = now() + make_interval(secs => ${retryInMs / 1000}::float8),
           lease_owner = NULL, lease_until = NULL
     WHERE sink_id = ${lease.sinkId} AND stream = ${lease.stream}::export_stream AND lease_owner = ${owner}`;
}

export async function releaseCursor(prisma: PrismaClient, lease: CursorLease, owner: string): Promise<void> {
  await prisma.$executeRaw`
    UPDATE export_cursors SET lease_owner = NULL, lease_until = NULL
     WHERE sink_id = ${lease.sinkId} AND stream = ${lease.stream}::export_stream AND lease_owner = ${owner}`;
}

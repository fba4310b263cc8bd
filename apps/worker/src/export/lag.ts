import type { PrismaClient } from "@portcullis/db";

export interface ExportLag {
  sinkId: string;
  sink: string;
  kind: string;
  stream: "audit" | "requests";
  lastSeq: string;
  headSeq: string;
  /** headSeq - lastSeq: records not yet delivered (seq numbers can skip, so at most this many). */
  behind: string;
  failures: number;
  lastError: string | null;
  lastSuccessAt: string | null;
  retryAt: string | null;
  deadLetters: number;
}

/** Where every enabled sink stands in every stream it exports, for /readyz and the console. */
export async function readExportLag(prisma: PrismaClient): Promise<ExportLag[]> {
  const rows = await prisma.$queryRaw<
    {
      sink_id: string;
      name: string;
      kind: string;
      stream: "audit" | "requests";
      last_seq: bigint;
      head: bigint;
      failures: number;
      last_error: string | null;
      last_success_at: Date | null;
      retry_at: Date | null;
      dead_letters: bigint;
    }[]
  >`
    WITH heads AS (
      SELECT 'audit'::export_stream AS stream, coalesce((SELECT max(seq) FROM audit_events), 0) AS head
      UNION ALL SELECT 'requests'::export_stream, coalesce((SELECT max(seq) FROM request_logs), 0)
    )
    SELECT s.id AS sink_id, s.name, s.kind::text AS kind, st.stream::text AS stream,
           coalesce(c.last_seq, 0) AS last_seq, h.head, coalesce(c.failures, 0) AS failures, c.last_error,
           c.last_success_at, c.retry_at,
           (SELECT count(*) FROM export_dead_letters d
             WHERE d.sink_id = s.id AND d.stream = st.stream AND d.resolved_at IS NULL) AS dead_letters
      FROM export_sinks s
      CROSS JOIN LATERAL unnest(s.streams) AS st(stream)
      JOIN heads h ON h.stream = st.stream
      LEFT JOIN export_cursors c ON c.sink_id = s.id AND c.stream = st.stream
     WHERE s.enabled
     ORDER BY s.name, st.stream`;
  return rows.map((r) => ({
    sinkId: r.sink_id,
    sink: r.name,
    kind: r.kind,
    stream: r.stream,
    lastSeq: r.last_seq.toString(),
    headSeq: r.head.toString(),
    behind: (r.head > r.last_seq ? r.head - r.last_seq : 0n).toString(),
    failures: r.failures,
    lastError: r.last_error,
    lastSuccessAt: r.last_success_at?.toISOString() ?? null,
    retryAt: r.retry_at?.toISOString() ?? null,
    deadLetters: Number(r.dead_letters),
  }));
}

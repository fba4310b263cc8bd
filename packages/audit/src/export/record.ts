import { toCanonicalValue } from "../canonical";

export type ExportStreamName = "audit" | "requests";

/** One row on its way to a SIEM: the stored row as JSON plus what every format needs. */
export interface ExportRecord {
  stream: ExportStreamName;
  /** audit_events.seq or request_logs.seq, as a decimal string. */
  seq: string;
  id: string;
  /** ISO-8601 instant of the event (occurred_at / created_at). */
  time: string;
  /** The row with bigints as decimal strings and dates as ISO strings. */
  data: Record<string, unknown>;
}

/** A stored row: seq, id, the instant (occurredAt for audit, createdAt for requests) and the rest. */
type StoredRow = { seq: bigint | number | string; id: string; occurredAt?: Date | string; createdAt?: Date | string } & Record<string, unknown>;

/** An audit_events or request_logs row (as Prisma returns it) as an export record. */
export function toExportRecord(stream: ExportStreamName, row: StoredRow): ExportRecord {
  const time = row.occurredAt ?? row.createdAt;
  if (time === undefined) throw new TypeError(`toExportRecord: row ${row.id} has neither occurredAt nor createdAt`);
  return {
    stream,
    seq: BigInt(row.seq).toString(),
    id: row.id,
    time: new Date(time).toISOString(),
    data: toCanonicalValue<Record<string, unknown>>(row),
  };
}

/** Syslog severities (RFC 5424 §6.2.1) used for the records. */
export type Severity = "error" | "warning" | "notice" | "info";

/** Denials and failures stand out; successful audit events are notices; requests are info. */
export function severityOf(r: ExportRecord): Severity {
  const outcome = String(r.data.outcome ?? "");
  if (r.stream === "audit") return outcome === "success" ? "notice" : "warning";
  if (outcome === "error") return "error";
  return outcome === "success" ? "info" : "warning";
}

const text = (v: unknown) => (v === null || v === undefined ? "" : String(v));

/** A few fields worth indexing without parsing the body, per stream. */
export function summaryFields(r: ExportRecord): [string, string][] {
  const d = r.data;
  const common: [string, string][] = [
    ["stream", r.stream],
    ["seq", r.seq],
    ["id", r.id],
  ];
  if (r.stream === "audit") {
    return [...common, ["action", text(d.action)], ["actorType", text(d.actorType)], ["actorId", text(d.actorId)], ["outcome", text(d.outcome)], ["requestId", text(d.requestId)]];
  }
  return [...common, ["virtualKeyId", text(d.virtualKeyId)], ["teamId", text(d.teamId)], ["model", text(d.modelUsed ?? d.modelRequested)], ["outcome", text(d.outcome)], ["status", text(d.status)], ["costMicros", text(d.costMicros)]];
}

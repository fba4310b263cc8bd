import { severityOf, summaryFields, type ExportRecord, type Severity } from "./record";

/** OTLP AnyValue in the protobuf JSON mapping (int64 as a decimal string). */
export type OtlpAnyValue =
  | { stringValue: string }
  | { boolValue: boolean }
  | { intValue: string }
  | { doubleValue: number }
  | { arrayValue: { values: OtlpAnyValue[] } }
  | { kvlistValue: { values: { key: string; value: OtlpAnyValue }[] } }
  | Record<string, never>;

export function toOtlpAnyValue(v: unknown): OtlpAnyValue {
  if (v === null || v === undefined) return {};
  if (typeof v === "string") return { stringValue: v };
  if (typeof v === "boolean") return { boolValue: v };
  if (typeof v === "number") return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
  if (typeof v === "bigint") return { intValue: v.toString() };
  if (Array.isArray(v)) return { arrayValue: { values: v.map(toOtlpAnyValue) } };
  if (typeof v === "object") {
    return { kvlistValue: { values: Object.entries(v as Record<string, unknown>).map(([key, value]) => ({ key, value: toOtlpAnyValue(value) })) } };
  }
  return { stringValue: String(v) };
}

// OpenTelemetry log data model severity numbers.
const severity: Record<Severity, { number: number; text: string }> = {
  error: { number: 17, text: "ERROR" },
  warning: { number: 13, text: "WARN" },
  notice: { number: 10, text: "INFO2" },
  info: { number: 9, text: "INFO" },
};

export interface OtlpLogsOptions {
  /** resource service.name; default "portcullis". */
  serviceName?: string;
  hostName?: string;
  /** When the batch was observed (default now). */
  now?: Date;
}

const nanos = (iso: string) => `${BigInt(Date.parse(iso)) * 1_000_000n}`;

/**
 * An OTLP/HTTP JSON ExportLogsServiceRequest (POST …/v1/logs): one resource, one scope per
 * stream (`portcullis.audit`, `portcullis.requests`), the record as a structured body and the
 * summary fields as `portcullis.*` attributes.
 */
export function formatOtlpLogs(records: readonly ExportRecord[], opts: OtlpLogsOptions = {}) {
  const observed = nanos((opts.now ?? new Date()).toISOString());
  const resourceAttributes = [{ key: "service.name", value: { stringValue: opts.serviceName ?? "portcullis" } }];
  if (opts.hostName) resourceAttributes.push({ key: "host.name", value: { stringValue: opts.hostName } });
  const byStream = new Map<string, ExportRecord[]>();
  for (const r of records) byStream.set(r.stream, [...(byStream.get(r.stream) ?? []), r]);
  return {
    resourceLogs: [
      {
        resource: { attributes: resourceAttributes },
        scopeLogs: [...byStream].map(([stream, rs]) => ({
          scope: { name: `portcullis.${stream}` },
          logRecords: rs.map((r) => {
            const s = severity[severityOf(r)];
            return {
              timeUnixNano: nanos(r.time),
              observedTimeUnixNano: observed,
              severityNumber: s.number,
              severityText: s.text,
              body: toOtlpAnyValue(r.data),
              attributes: summaryFields(r)
                .filter(([, v]) => v !== "")
                .map(([k, v]) => ({ key: `portcullis.${k}`, value: { stringValue: v } })),
            };
          }),
        })),
      },
    ],
  };
}

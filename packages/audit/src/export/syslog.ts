import { severityOf, summaryFields, type ExportRecord, type Severity } from "./record";

export interface SyslogFormatOptions {
  hostname: string;
  /** Default "portcullis". */
  appName?: string;
  procId?: string;
  /** RFC 5424 facility 0..23. Default 13 (log audit). */
  facility?: number;
  /**
   * SD-ID of the structured data element. Must be name@<IANA private enterprise number>;
   * the default uses 32473, the number RFC 5612 reserves for documentation: set your own.
   */
  sdId?: string;
}

const severityCode: Record<Severity, number> = { error: 3, warning: 4, notice: 5, info: 6 };

/** PRINTUSASCII only (33..126), at most `max` characters, "-" when empty (the NILVALUE). */
function headerField(value: string, max: number): string {
  const clean = value.replace(/[^\x21-\x7e]/g, "_").slice(0, max);
  return clean.length > 0 ? clean : "-";
}

/** PARAM-VALUE escaping (RFC 5424 §6.3.3): '"', '\' and ']' are preceded by a backslash. */
function paramValue(value: string): string {
  return value.replace(/[\\"\]]/g, (c) => `\\${c}`);
}

/**
 * One RFC 5424 message (without transport framing): header, one structured-data element with
 * the summary fields, and the record as JSON for MSG. MSG is plain UTF-8 without a BOM
 * (MSG-ANY), which rsyslog and syslog-ng take as is.
 */
export function formatSyslogMessage(r: ExportRecord, opts: SyslogFormatOptions): string {
  const facility = opts.facility ?? 13;
  if (!Number.isInteger(facility) || facility < 0 || facility > 23) throw new RangeError(`syslog facility must be 0..23, got ${facility}`);
  const pri = facility * 8 + severityCode[severityOf(r)];
  const msgId = r.stream === "audit" ? String(r.data.action ?? "audit") : "request";
  const header = [
    `<${pri}>1`,
    r.time,
    headerField(opts.hostname, 255),
    headerField(opts.appName ?? "portcullis", 48),
    headerField(opts.procId ?? "", 128),
    headerField(msgId, 32),
  ].join(" ");
  const sdId = headerField(opts.sdId ?? "portcullis@32473", 32).replace(/[=\]"]/g, "_");
  const params = summaryFields(r)
    .filter(([, v]) => v !== "")
    .map(([k, v]) => `${k}="${paramValue(v)}"`)
    .join(" ");
  return `${header} [${sdId} ${params}] ${JSON.stringify(r.data)}`;
}

/** Octet-counting framing for syslog over TCP/TLS (RFC 6587 §3.4.1, RFC 5425): `LEN SP MSG`. */
export function frameOctetCounting(message: string): Buffer {
  const body = Buffer.from(message, "utf8");
  return Buffer.concat([Buffer.from(`${body.length} `, "ascii"), body]);
}

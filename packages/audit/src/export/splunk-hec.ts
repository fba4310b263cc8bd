import type { ExportRecord } from "./record";

export interface SplunkHecOptions {
  host: string;
  /** Default "portcullis". */
  source?: string;
  /** Default "portcullis:<stream>". */
  sourcetype?: string;
  index?: string;
}

/**
 * A Splunk HTTP Event Collector batch: one `{time, host, source, sourcetype, event}` object per
 * record, concatenated (newline-separated), as /services/collector/event accepts them.
 * `time` is epoch seconds with millisecond decimals.
 */
export function formatSplunkHecBatch(records: readonly ExportRecord[], opts: SplunkHecOptions): string {
  return records
    .map((r) =>
      JSON.stringify({
        time: Date.parse(r.time) / 1000,
        host: opts.host,
        source: opts.source ?? "portcullis",
        sourcetype: opts.sourcetype ?? `portcullis:${r.stream}`,
        ...(opts.index ? { index: opts.index } : {}),
        // The row as is (it holds seq and id); the sourcetype names the stream.
        event: r.data,
      }),
    )
    .join("\n");
}

/** The generic JSON webhook body. */
export function formatJsonBatch(records: readonly ExportRecord[]): string {
  return JSON.stringify({ source: "portcullis", records });
}

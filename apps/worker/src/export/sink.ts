import type { ExportRecord } from "@portcullis/audit";

/** A connection to one export destination. */
export interface SinkClient {
  /** Resolves once the destination accepted every record; rejects with SinkError otherwise. */
  send(records: readonly ExportRecord[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * `permanent`: the destination refused the data itself (HTTP 400/413/422, unformattable
 * record); retrying the same records cannot help, so after maxAttempts they are dead-lettered.
 * Anything else (unreachable, timeout, 5xx, 429, 401/403 misconfiguration) is retried with
 * backoff for as long as it takes: lag grows and shows, nothing is dropped.
 */
export class SinkError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = "SinkError";
  }
}

export function isPermanent(e: unknown): boolean {
  return e instanceof SinkError && e.permanent;
}

/** Resolves secret references (env://, file://, …) at the time of use. */
export type ResolveSecret = (ref: string) => Promise<string>;

/** HTTP statuses that mean "this payload will never be accepted". */
export function httpStatusIsPermanent(status: number): boolean {
  return status === 400 || status === 413 || status === 422;
}

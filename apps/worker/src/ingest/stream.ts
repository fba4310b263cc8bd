import type { Redis } from "ioredis";
import { EVENT_FIELD } from "@portcullis/events";
import type { RejectedEvent } from "./ingestor";

/** One stream entry; `fields` is null when the entry was trimmed while pending. */
export interface StreamEntry {
  id: string;
  fields: string[] | null;
}

type RawEntry = [string, string[] | null];

/**
 * Entries of an XREAD/XREADGROUP reply for one stream. RESP2 answers `[[stream, entries]]`;
 * RESP3 answers a map, which the client hands over flattened as `[stream, entries]`; a BLOCK
 * that timed out answers null.
 */
export function entriesOfReadReply(reply: unknown): StreamEntry[] {
  if (!Array.isArray(reply) || reply.length === 0) return [];
  const entries = (typeof reply[0] === "string" ? reply[1] : (reply[0] as unknown[])[1]) as RawEntry[] | undefined;
  return (entries ?? []).map(([id, fields]) => ({ id, fields }));
}

/** Event documents of the entries, and the entries that hold none. */
export function parseEntries(entries: readonly StreamEntry[]): { events: unknown[]; unreadable: RejectedEvent[] } {
  const events: unknown[] = [];
  const unreadable: RejectedEvent[] = [];
  for (const entry of entries) {
    const fields = entry.fields ?? [];
    let json: string | undefined;
    for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === EVENT_FIELD) json = fields[i + 1];
    if (json === undefined) {
      unreadable.push({ reason: `stream entry ${entry.id} has no ${EVENT_FIELD} field`, event: fields });
      continue;
    }
    try {
      events.push(JSON.parse(json));
    } catch {
      unreadable.push({ reason: `stream entry ${entry.id} is not JSON`, event: json.slice(0, 1000) });
    }
  }
  return { events, unreadable };
}

export interface IngestBacklog {
  /** Entries in the stream (acknowledged ones stay until trimmed). */
  length: number;
  /** Delivered to a consumer, not yet acknowledged. */
  pending: number;
  /** Not yet delivered to any consumer (null when Redis cannot tell, e.g. after trimming). */
  lag: number | null;
}

/** Backlog of the ingest consumer group, for /readyz. */
export async function readBacklog(redis: Redis, stream: string, group: string): Promise<IngestBacklog> {
  const [length, groups] = await Promise.all([redis.xlen(stream), redis.call("XINFO", "GROUPS", stream) as Promise<unknown[][]>]);
  for (const g of groups) {
    const info = new Map<string, unknown>();
    for (let i = 0; i + 1 < g.length; i += 2) info.set(String(g[i]), g[i + 1]);
    if (info.get("name") !== group) continue;
    const lag = info.get("lag");
    return { length, pending: Number(info.get("pending") ?? 0), lag: lag === null || lag === undefined ? null : Number(lag) };
  }
  return { length, pending: 0, lag: length };
}

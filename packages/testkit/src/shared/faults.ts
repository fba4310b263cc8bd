/**
 * Faults a simulator can inject. Set them for every request (`faults` option,
 * `setFaults`) or for one request with the `x-sim-fault` header, e.g.
 * `x-sim-fault: status=429,retry-after=2` or `x-sim-fault: disconnect=3`.
 */
export interface Faults {
  /** Delay before the response starts. */
  latencyMs?: number;
  /** Answer with this error status (429, 500, 503, 529...) in the protocol's error shape. */
  status?: number;
  /** `retry-after` seconds sent with an error status. */
  retryAfter?: number;
  /** Accept the request and never answer. */
  timeout?: boolean;
  /** Stream: drop the connection after this many events. */
  disconnectAfterChunks?: number;
  /** Stream: event number N (0-based) carries data that is not JSON. */
  malformedChunkAt?: number;
  /** Stream: end cleanly but without the terminal event (`[DONE]`, `message_stop`). */
  noTerminal?: boolean;
  /** Stream: the upstream's in-band error event after this many events (Anthropic `event: error`). */
  streamErrorAfter?: number;
  /** Stream: delay between events. */
  chunkDelayMs?: number;
  /** Sticky faults apply to this many requests, then clear (default: until changed). */
  times?: number;
}

export const FAULT_HEADER = "x-sim-fault";

function int(v: string | undefined): number | undefined {
  if (v === undefined || !/^\d+$/.test(v)) return undefined;
  return Number(v);
}

/** Parses `status=429,retry-after=2,latency=50,timeout,disconnect=3,malformed=1,no-terminal,stream-error=2,chunk-delay=5`. */
export function parseFaultHeader(header: string | undefined): Faults | undefined {
  if (!header) return undefined;
  const f: Faults = {};
  for (const token of header.split(",").map((t) => t.trim()).filter(Boolean)) {
    const [key, value] = token.split("=", 2).map((s) => s.trim());
    if (key === undefined) continue;
    if (/^\d{3}$/.test(key)) f.status = Number(key);
    else if (key === "status") f.status = int(value);
    else if (key === "retry-after") f.retryAfter = int(value);
    else if (key === "latency") f.latencyMs = int(value);
    else if (key === "timeout") f.timeout = true;
    else if (key === "disconnect") f.disconnectAfterChunks = int(value);
    else if (key === "malformed") f.malformedChunkAt = int(value);
    else if (key === "no-terminal") f.noTerminal = true;
    else if (key === "stream-error") f.streamErrorAfter = int(value);
    else if (key === "chunk-delay") f.chunkDelayMs = int(value);
  }
  return f;
}

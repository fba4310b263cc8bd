import { describe, expect, it } from "vitest";
import { parseWrk } from "./wrk";

const clean = `Running 2s test @ http://127.0.0.1:4000/v1/chat/completions
  1 threads and 50 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     9.82ms    2.10ms  31.20ms   88.00%
    Req/Sec     5.10k   300.00     5.50k    70.00%
  Latency Distribution
     50%    9.50ms
     75%   10.40ms
     90%   11.80ms
     99%  850.00us
  10200 requests in 2.00s, 11.00MB read
Requests/sec:   5100.00
Transfer/sec:      5.50MB
`;

describe("parseWrk", () => {
  it("reads the rate, the count and the latency percentiles in ms", () => {
    expect(parseWrk(clean)).toEqual({ rps: 5100, requests: 10200, errors: 0, latencyMs: { p50: 9.5, p99: 0.85 } });
  });

  it("counts error answers and socket errors, and leaves them out of the rate", () => {
    const out = clean.replace("Requests/sec", "  Socket errors: connect 0, read 2, write 0, timeout 3\n  Non-2xx or 3xx responses: 5095\nRequests/sec");
    const r = parseWrk(out);
    expect(r.errors).toBe(5100);
    expect(r.rps).toBeCloseTo(2550, 5);
  });
});

import { describe, expect, it } from "vitest";
import { parseFaultHeader } from "./faults";
import { applyStop, simTokenCount, splitPieces, truncateToTokens } from "./text";

describe("parseFaultHeader", () => {
  it("parses every fault token", () => {
    expect(parseFaultHeader("status=429, retry-after=2,latency=50,timeout,disconnect=3,malformed=1,no-terminal,stream-error=4,chunk-delay=5")).toEqual({
      status: 429, retryAfter: 2, latencyMs: 50, timeout: true, disconnectAfterChunks: 3, malformedChunkAt: 1, noTerminal: true, streamErrorAfter: 4, chunkDelayMs: 5,
    });
    expect(parseFaultHeader("529")).toEqual({ status: 529 });
    expect(parseFaultHeader(undefined)).toBeUndefined();
    expect(parseFaultHeader("status=abc,unknown")).toEqual({ status: undefined });
  });
});

describe("simulated model text", () => {
  it("counts, splits, truncates and stops deterministically", () => {
    expect([simTokenCount(""), simTokenCount("abcd"), simTokenCount("abcde")]).toEqual([0, 1, 2]);
    expect(splitPieces("Echo: a  b")).toEqual(["Echo: ", "a  ", "b"]);
    expect(truncateToTokens("abcdefghij", 2)).toEqual({ text: "abcdefgh", truncated: true });
    expect(truncateToTokens("abc", 2)).toEqual({ text: "abc", truncated: false });
    expect(applyStop("one two three", ["three", "two"])).toEqual({ text: "one ", stoppedBy: "two" });
  });
});

import { describe, expect, it } from "vitest";
import { CircuitRegistry } from "./circuits";

describe("circuit breakers", () => {
  it("opens on consecutive failures, half-opens after the cool-down with one probe, closes on success", () => {
    let now = 0;
    const r = new CircuitRegistry(() => now, { consecutiveFailures: 3, errorRate: 0.5, minRequests: 100, windowMs: 10_000, coolDownMs: 1_000 });
    for (let i = 0; i < 3; i++) {
      expect(r.acquire("t")).toBe(true);
      r.failure("t", "503");
    }
    expect(r.acquire("t")).toBe(false);
    expect(r.healthy("t")).toBe(false);
    now = 1_000;
    expect(r.healthy("t")).toBe(true);
    expect(r.acquire("t")).toBe(true);
    expect(r.acquire("t")).toBe(false); // one probe at a time
    r.success("t", 40);
    expect(r.view()[0]).toMatchObject({ state: "closed", consecutiveFailures: 0 });
    expect(r.acquire("t")).toBe(true);
  });

  it("re-opens when the probe fails, and trips on error rate", () => {
    let now = 0;
    const r = new CircuitRegistry(() => now, { consecutiveFailures: 100, errorRate: 0.5, minRequests: 10, windowMs: 10_000, coolDownMs: 1_000 });
    for (let i = 0; i < 10; i++) {
      r.acquire("t");
      if (i % 2) r.failure("t", "500");
      else r.success("t", 10);
    }
    expect(r.view()[0]!.state).toBe("open");
    now = 1_500;
    expect(r.acquire("t")).toBe(true);
    r.failure("t", "timeout");
    expect(r.acquire("t")).toBe(false);
    expect(r.view()[0]).toMatchObject({ state: "open", lastError: "timeout" });
  });

  it("summarizes for the fleet status: counts and the targets not closed", () => {
    let now = 0;
    const r = new CircuitRegistry(() => now, { consecutiveFailures: 2, errorRate: 0.5, minRequests: 100, windowMs: 10_000, coolDownMs: 1_000 });
    r.success("ok", 5);
    for (let i = 0; i < 2; i++) r.failure("a", "503");
    now = 500;
    for (let i = 0; i < 2; i++) r.failure("b", "timeout");
    now = 1_200;
    expect(r.summary()).toEqual({
      tracked: 3, open: 1, halfOpen: 1,
      notClosed: [{ target: "a", state: "half-open", lastError: "503" }, { target: "b", state: "open", lastError: "timeout" }],
    });
  });
});

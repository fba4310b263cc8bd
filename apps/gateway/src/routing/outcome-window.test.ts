import { describe, expect, it } from "vitest";
import { OutcomeWindow } from "./outcome-window";

describe("outcome window", () => {
  it("keeps the same outcomes and failure count as a plain array trimmed from the front", () => {
    let seed = 7;
    const r = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const w = new OutcomeWindow();
    const naive: Array<{ at: number; ok: boolean }> = [];
    let now = 0;
    // Bursts grow the ring past several doublings; quiet spells empty it and wrap the head around.
    for (let step = 0; step < 20_000; step++) {
      now += r() < 0.01 ? 5_000 : Math.floor(r() * 3);
      const ok = r() < 0.8;
      w.push(now, ok);
      naive.push({ at: now, ok });
      const from = now - 1_000;
      w.trim(from);
      while (naive.length && naive[0]!.at < from) naive.shift();
      expect(w.size).toBe(naive.length);
      expect(w.failures).toBe(naive.filter((x) => !x.ok).length);
    }
    expect(w.size).toBeGreaterThan(100);
  });

  it("keeps outcomes exactly at the window's start and holds a large window", () => {
    const w = new OutcomeWindow();
    for (let i = 0; i < 200_000; i++) w.push(i, i % 4 !== 0);
    expect(w.size).toBe(200_000);
    expect(w.failures).toBe(50_000);
    w.trim(150_000);
    expect(w.size).toBe(50_000);
    expect(w.failures).toBe(12_500);
    w.trim(Infinity);
    expect([w.size, w.failures]).toEqual([0, 0]);
  });
});

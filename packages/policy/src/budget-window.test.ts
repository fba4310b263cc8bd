import { describe, expect, it } from "vitest";
import { budgetWindow, softThresholdMicros, type BudgetWindowRule } from "./budget-window";

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
const rolling = (period: BudgetWindowRule["period"], anchor: string): BudgetWindowRule => ({
  period, timeZone: "UTC", calendarAligned: false, periodStartMs: Date.parse(anchor),
});

describe("budgetWindow", () => {
  it("uses calendar periods in the rule's zone", () => {
    const w = budgetWindow({ period: "month", timeZone: "America/New_York", calendarAligned: true, periodStartMs: 0 }, Date.parse("2026-02-01T04:59:59.999Z"));
    expect([iso(w.startMs), iso(w.endMs)]).toEqual(["2026-01-01T05:00:00.000Z", "2026-02-01T05:00:00.000Z"]);
  });

  it("never ends a lifetime budget", () => {
    expect(budgetWindow({ period: "lifetime", timeZone: "UTC", calendarAligned: true, periodStartMs: 123 }, Date.now())).toEqual({ startMs: 0, endMs: undefined });
  });

  it("rolls fixed-length periods from the anchor, before or after it", () => {
    const day = rolling("day", "2026-05-01T10:00:00Z");
    const later = budgetWindow(day, Date.parse("2026-05-04T09:59:59.999Z"));
    expect([iso(later.startMs), iso(later.endMs)]).toEqual(["2026-05-03T10:00:00.000Z", "2026-05-04T10:00:00.000Z"]);
    expect(iso(budgetWindow(day, Date.parse("2026-05-04T10:00:00Z")).startMs)).toBe("2026-05-04T10:00:00.000Z");
    expect(iso(budgetWindow(day, Date.parse("2026-04-30T11:00:00Z")).startMs)).toBe("2026-04-30T10:00:00.000Z");
    const week = budgetWindow(rolling("week", "2026-05-01T00:00:00Z"), Date.parse("2026-05-20T00:00:00Z"));
    expect([iso(week.startMs), iso(week.endMs)]).toEqual(["2026-05-15T00:00:00.000Z", "2026-05-22T00:00:00.000Z"]);
  });

  it("rolls months from a month-end anchor, clamping to shorter months", () => {
    const month = rolling("month", "2026-01-31T12:00:00Z");
    const feb = budgetWindow(month, Date.parse("2026-03-01T00:00:00Z"));
    expect([iso(feb.startMs), iso(feb.endMs)]).toEqual(["2026-02-28T12:00:00.000Z", "2026-03-31T12:00:00.000Z"]);
    const apr = budgetWindow(month, Date.parse("2026-05-15T00:00:00Z"));
    expect([iso(apr.startMs), iso(apr.endMs)]).toEqual(["2026-04-30T12:00:00.000Z", "2026-05-31T12:00:00.000Z"]);
    const before = budgetWindow(month, Date.parse("2025-12-31T11:59:59Z"));
    expect(iso(before.startMs)).toBe("2025-11-30T12:00:00.000Z");
    const quarter = budgetWindow(rolling("quarter", "2026-02-15T00:00:00Z"), Date.parse("2026-09-01T00:00:00Z"));
    expect([iso(quarter.startMs), iso(quarter.endMs)]).toEqual(["2026-08-15T00:00:00.000Z", "2026-11-15T00:00:00.000Z"]);
    const year = budgetWindow(rolling("year", "2024-02-29T00:00:00Z"), Date.parse("2025-06-01T00:00:00Z"));
    expect([iso(year.startMs), iso(year.endMs)]).toEqual(["2025-02-28T00:00:00.000Z", "2026-02-28T00:00:00.000Z"]);
  });
});

describe("softThresholdMicros", () => {
  it("rounds up and treats null or 0 as no threshold", () => {
    expect(softThresholdMicros(1_001, 80)).toBe(801);
    expect(softThresholdMicros(1_000, 80)).toBe(800);
    expect(softThresholdMicros(1_000, null)).toBeUndefined();
    expect(softThresholdMicros(1_000, 0)).toBeUndefined();
  });
});

import { describe, expect, it } from "vitest";
import { nextReset, periodStart } from "./budget-period";

const iso = (d: Date | undefined) => d?.toISOString();

describe("budget periods", () => {
  const ny = "America/New_York";
  it("aligns months to local midnight on the 1st (EST, UTC-5)", () => {
    const now = new Date("2026-11-29T12:00:00Z");
    expect(iso(periodStart("month", ny, now))).toBe("2026-11-01T04:00:00.000Z"); // 1 Nov is still EDT (-4)
    expect(iso(nextReset("month", ny, now))).toBe("2026-12-01T05:00:00.000Z");
  });
  it("uses the local date, not the UTC date, near midnight", () => {
    // 02:30 UTC on Dec 1st is still Nov 30th in New York.
    const now = new Date("2026-12-01T02:30:00Z");
    expect(iso(periodStart("month", ny, now))).toBe("2026-11-01T04:00:00.000Z");
    expect(iso(periodStart("day", ny, now))).toBe("2026-11-30T05:00:00.000Z");
  });
  it("starts weeks on Monday and handles the DST change inside a week", () => {
    const now = new Date("2026-03-10T15:00:00Z"); // Tuesday; DST began Sunday 8 March
    expect(iso(periodStart("week", ny, now))).toBe("2026-03-09T04:00:00.000Z");
    expect(iso(periodStart("day", ny, new Date("2026-03-08T12:00:00Z")))).toBe("2026-03-08T05:00:00.000Z");
    expect(iso(nextReset("day", ny, new Date("2026-03-08T12:00:00Z")))).toBe("2026-03-09T04:00:00.000Z");
  });
  it("aligns quarters and years, and lifetime never resets", () => {
    const now = new Date("2026-08-15T00:00:00Z");
    expect(iso(periodStart("quarter", "Asia/Tokyo", now))).toBe("2026-06-30T15:00:00.000Z");
    expect(iso(nextReset("quarter", "Asia/Tokyo", now))).toBe("2026-09-30T15:00:00.000Z");
    expect(iso(periodStart("year", "UTC", now))).toBe("2026-01-01T00:00:00.000Z");
    expect(nextReset("lifetime", "UTC", now)).toBeUndefined();
  });
  it("handles half-hour zones", () => {
    expect(iso(periodStart("day", "Asia/Kolkata", new Date("2026-05-01T20:00:00Z")))).toBe("2026-05-01T18:30:00.000Z");
  });
});

describe("formatInZone", () => {
  it("renders wall time with the zone's offset", async () => {
    const { formatInZone } = await import("./budget-period");
    expect(formatInZone(new Date("2026-12-01T05:00:00Z"), "America/New_York")).toBe("2026-12-01T00:00:00-05:00");
    expect(formatInZone(new Date("2026-07-01T04:00:00Z"), "America/New_York")).toBe("2026-07-01T00:00:00-04:00");
    expect(formatInZone(new Date("2026-05-01T18:30:00Z"), "Asia/Kolkata")).toBe("2026-05-02T00:00:00+05:30");
    expect(formatInZone(new Date("2026-05-01T18:30:00Z"), "UTC")).toBe("2026-05-01T18:30:00+00:00");
  });
});

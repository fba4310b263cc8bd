/**
 * Calendar-aligned budget periods in an IANA time zone. Periods start at local
 * midnight (day), Monday 00:00 (week), the 1st (month), Jan/Apr/Jul/Oct 1st (quarter)
 * or Jan 1st (year); `lifetime` never resets. DST is handled by converting local wall
 * time to an instant with the zone's offset at that instant.
 */
export type BudgetPeriodKind = "day" | "week" | "month" | "quarter" | "year" | "lifetime";

interface WallTime { year: number; month: number; day: number; hour: number; minute: number; second: number; weekday: number }

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric",
      hour: "numeric", minute: "numeric", second: "numeric", weekday: "short",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

const weekdays: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

export function wallTime(instant: Date, timeZone: string): WallTime {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(instant)) parts[p.type] = p.value;
  return {
    year: Number(parts.year), month: Number(parts.month), day: Number(parts.day),
    hour: Number(parts.hour), minute: Number(parts.minute), second: Number(parts.second),
    weekday: weekdays[parts.weekday!]!,
  };
}

/** Offset of the zone from UTC at an instant, in ms. */
function offsetAt(instant: Date, timeZone: string): number {
  const w = wallTime(instant, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/** The instant at which the zone's clocks show this local date at 00:00 (or the first moment after, across a DST gap). */
export function localMidnight(year: number, month: number, day: number, timeZone: string): Date {
  const guess = Date.UTC(year, month - 1, day);
  let t = guess - offsetAt(new Date(guess), timeZone);
  t = guess - offsetAt(new Date(t), timeZone);
  return new Date(t);
}

export function periodStart(period: BudgetPeriodKind, timeZone: string, now: Date): Date {
  if (period === "lifetime") return new Date(0);
  const w = wallTime(now, timeZone);
  switch (period) {
    case "day":
      return localMidnight(w.year, w.month, w.day, timeZone);
    case "week": {
      const d = new Date(Date.UTC(w.year, w.month - 1, w.day - (w.weekday - 1)));
      return localMidnight(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), timeZone);
    }
    case "month":
      return localMidnight(w.year, w.month, 1, timeZone);
    case "quarter":
      return localMidnight(w.year, Math.floor((w.month - 1) / 3) * 3 + 1, 1, timeZone);
    case "year":
      return localMidnight(w.year, 1, 1, timeZone);
  }
}

/** When the period containing `now` ends (the next reset); undefined for lifetime. */
export function nextReset(period: BudgetPeriodKind, timeZone: string, now: Date): Date | undefined {
  if (period === "lifetime") return undefined;
  const start = wallTime(periodStart(period, timeZone, now), timeZone);
  const d = new Date(Date.UTC(start.year, start.month - 1, start.day));
  if (period === "day") d.setUTCDate(d.getUTCDate() + 1);
  else if (period === "week") d.setUTCDate(d.getUTCDate() + 7);
  else if (period === "month") d.setUTCMonth(d.getUTCMonth() + 1);
  else if (period === "quarter") d.setUTCMonth(d.getUTCMonth() + 3);
  else d.setUTCFullYear(d.getUTCFullYear() + 1);
  return localMidnight(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), timeZone);
}

/** `2026-12-01T00:00:00-05:00`: an instant as the zone's wall clock with its UTC offset. */
export function formatInZone(instant: Date, timeZone: string): string {
  const w = wallTime(instant, timeZone);
  const pad = (n: number, l = 2) => String(n).padStart(l, "0");
  const offsetMin = Math.round((Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
  const sign = offsetMin < 0 ? "-" : "+";
  const abs = Math.abs(offsetMin);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

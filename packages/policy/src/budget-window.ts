import { nextReset, periodStart, type BudgetPeriodKind } from "./budget-period";

/** What the counters need to know about a budget to place `now` in one of its periods. */
export interface BudgetWindowRule {
  period: BudgetPeriodKind;
  timeZone: string;
  /** true: periods start at calendar boundaries in `timeZone`; false: rolling periods from `periodStartMs`. */
  calendarAligned: boolean;
  /** Anchor of rolling periods (Budget.currentPeriodStart); ignored for calendar-aligned and lifetime budgets. */
  periodStartMs: number;
}

/** The period containing an instant: [startMs, endMs); endMs is undefined for lifetime budgets. */
export interface BudgetWindow {
  startMs: number;
  endMs: number | undefined;
}

const dayMs = 86_400_000;

/**
 * The budget period containing `nowMs`. Calendar-aligned periods come from `periodStart` /
 * `nextReset` in the rule's time zone. Rolling periods repeat from the anchor: days and weeks
 * are fixed 24 h / 168 h steps; months, quarters and years add calendar months to the anchor in
 * UTC, clamping the day to the month's length (a 31 Jan anchor rolls on 29 Feb, 31 Mar, 30 Apr).
 * The anchor may lie before or after `nowMs`, so a worker that has not rolled the stored
 * `currentPeriodStart` yet still gets the right period.
 */
export function budgetWindow(rule: BudgetWindowRule, nowMs: number): BudgetWindow {
  if (rule.period === "lifetime") return { startMs: 0, endMs: undefined };
  if (rule.calendarAligned) {
    const now = new Date(nowMs);
    return {
      startMs: periodStart(rule.period, rule.timeZone, now).getTime(),
      endMs: nextReset(rule.period, rule.timeZone, now)!.getTime(),
    };
  }
  const anchor = rule.periodStartMs;
  if (rule.period === "day" || rule.period === "week") {
    const len = rule.period === "day" ? dayMs : 7 * dayMs;
    const k = Math.floor((nowMs - anchor) / len);
    return { startMs: anchor + k * len, endMs: anchor + (k + 1) * len };
  }
  const step = rule.period === "month" ? 1 : rule.period === "quarter" ? 3 : 12;
  const a = new Date(anchor);
  const n = new Date(nowMs);
  const monthsApart = (n.getUTCFullYear() - a.getUTCFullYear()) * 12 + (n.getUTCMonth() - a.getUTCMonth());
  let k = Math.floor(monthsApart / step);
  while (addMonthsClamped(anchor, k * step) > nowMs) k--;
  while (addMonthsClamped(anchor, (k + 1) * step) <= nowMs) k++;
  return { startMs: addMonthsClamped(anchor, k * step), endMs: addMonthsClamped(anchor, (k + 1) * step) };
}

function addMonthsClamped(anchorMs: number, months: number): number {
  const a = new Date(anchorMs);
  const total = a.getUTCMonth() + months;
  const year = a.getUTCFullYear() + Math.floor(total / 12);
  const month = ((total % 12) + 12) % 12;
  const daysInMonth = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return Date.UTC(year, month, Math.min(a.getUTCDate(), daysInMonth), a.getUTCHours(), a.getUTCMinutes(), a.getUTCSeconds(), a.getUTCMilliseconds());
}

/**
 * Spend (micro-USD) at which a budget's soft threshold is crossed, or undefined when the
 * budget has no soft threshold. Rounded up so that "80 %" never fires below 80 %.
 */
export function softThresholdMicros(limitMicros: number, softThresholdPct: number | null | undefined): number | undefined {
  if (softThresholdPct == null || softThresholdPct <= 0) return undefined;
  return Math.ceil((limitMicros * softThresholdPct) / 100);
}

import type { BudgetPeriodKind, RateWindowStatus } from "@portcullis/policy";

export type LimitLevel = "customer" | "team" | "virtual_key" | "provider_key" | "tenant";

/** Names the policy a decision is about, so a denial can say which limit and at which level. */
export interface LimitRef {
  /** The RateLimit / Budget row id; keys in the store derive from it. */
  id: string;
  level: LimitLevel;
  /** Human name for messages and headers, e.g. team "ml-research". */
  label: string;
}

export interface RateRule extends LimitRef {
  /** Requests per window; undefined = unlimited. */
  rpm?: number;
  /** Tokens (input + output) per window; undefined = unlimited. */
  tpm?: number;
  windowSeconds: number;
}

export interface BudgetRule extends LimitRef {
  /** Integer micro-USD. */
  limitMicros: number;
  period: BudgetPeriodKind;
  /** IANA zone of calendar-aligned resets. */
  timeZone: string;
  calendarAligned: boolean;
  /** Anchor of rolling (non calendar-aligned) periods, epoch ms; ignored otherwise. */
  periodStartMs: number;
  /** Percent of the limit at which an alert fires once per period; null/0 = none. */
  softThresholdPct: number | null;
}

export interface AdmitRequest {
  requestId: string;
  /** Retry / fallback attempt number: each attempt is its own reservation. */
  attempt: number;
  rates: readonly RateRule[];
  budgets: readonly BudgetRule[];
  /** Counted against TPM windows at admission; settlement corrects it to the actual tokens. */
  estimatedTokens: number;
  /** Reserved against every budget until settlement (integer micro-USD). */
  maxCostMicros: number;
  /** Epoch ms; the caller's clock, so tests can drive time. */
  now: number;
  /** How long an unsettled reservation holds its amount; default from the counters' options. */
  reservationTtlMs?: number;
}

export interface RateStatus extends RateWindowStatus {
  rule: RateRule;
}

export interface AdmitOk {
  ok: true;
  /** `${requestId}:${attempt}` */
  reservationId: string;
  /** The same (requestId, attempt) was admitted before; nothing was reserved again. */
  duplicate: boolean;
  /** One entry per RPM and per TPM window checked; `rateLimitHeaders` picks the tightest. Empty for duplicates. */
  rateStatus: RateStatus[];
  /** Admitted by the in-process fallback while the shared store was unreachable. */
  degraded?: boolean;
}

export interface AdmitDenied {
  ok: false;
  reason: "rate_limited" | "budget_exceeded";
  /** The first denying rule, in order: rate rules as given, then budgets as given. */
  rule: RateRule | BudgetRule;
  kind: "rpm" | "tpm" | "budget";
  /** requests, tokens or micro-USD */
  limit: number;
  /** In-window requests / tokens, or spent + reserved micro-USD for the period. */
  current: number;
  /** Rate limits: seconds until enough of the window has drained; absent when it never can (request larger than the limit). */
  retryAfterSeconds?: number;
  /** Budgets: when the period resets; absent for lifetime budgets. */
  resetsAt?: Date;
}

export type AdmitResult = AdmitOk | AdmitDenied;

/** Rules to record usage against when no reservation exists (replay after a failover). */
export interface UsageReplay {
  rates: readonly RateRule[];
  budgets: readonly BudgetRule[];
  /** Epoch ms of the original admission: picks the budget period the spend belongs to. */
  admittedAt: number;
}

export interface SettleRequest {
  requestId: string;
  attempt: number;
  /** Input + output tokens actually used (0 for a request that never reached the model). */
  actualTokens: number;
  /** Integer micro-USD actually spent; 0 together with 0 tokens releases the reservation. */
  actualCostMicros: number;
  now: number;
  replay?: UsageReplay;
}

export interface SoftThresholdCrossing {
  budget: LimitRef;
  limitMicros: number;
  spentMicros: number;
  thresholdPct: number;
  periodStartMs: number;
}

export interface SettleResult {
  /**
   * settled: recorded now; duplicate: this (requestId, attempt) was settled before, nothing
   * changed; unknown: no reservation (expired long ago, or never admitted) and no replay rules;
   * deferred: the store was unreachable, the settlement is queued and replayed on recovery.
   */
  status: "settled" | "duplicate" | "unknown" | "deferred";
  /** Budgets whose soft threshold this settlement crossed for the first time in the period. */
  crossings: SoftThresholdCrossing[];
}

export interface BudgetSpend {
  spentMicros: number;
  reservedMicros: number;
  periodStartMs: number;
  resetsAt?: Date;
}

export interface Counters {
  /** One atomic step: checks every window and reserves at every budget, or changes nothing. */
  admit(request: AdmitRequest): Promise<AdmitResult>;
  /** One atomic step: replaces the reservation by actual cost and tokens; idempotent per (requestId, attempt). */
  settle(request: SettleRequest): Promise<SettleResult>;
  /** Settled and reserved amounts of the budget's period containing `now` (expired reservations excluded). */
  spend(budget: BudgetRule, now: number): Promise<BudgetSpend>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface CountersOptions {
  /** Default hold of an unsettled reservation: 15 min, longer than any sane streaming response. */
  reservationTtlMs?: number;
  /** How long a settled (requestId, attempt) is remembered so a repeated settle changes nothing: 24 h. */
  settledRetentionMs?: number;
  /** How long past its reservation TTL an unsettled reservation record still accepts a late settle: 1 h. */
  lateSettleGraceMs?: number;
  /** How long a budget period's counters are kept after the period ends (for the worker's flush): 7 days. */
  periodRetentionMs?: number;
}

export function reservationIdOf(requestId: string, attempt: number): string {
  return `${requestId}:${attempt}`;
}

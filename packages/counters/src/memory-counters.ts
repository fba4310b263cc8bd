import { BudgetWindowCache, budgetKeys, periodTtlMs, rateKeySlackMs, rateKeys, resolveOptions, softMicrosOf, type ResolvedOptions } from "./keys";
import { deniedBudget, deniedRate, validateAdmit, validateSettle } from "./results";
import { TimeLog } from "./time-log";
import {
  reservationIdOf,
  type AdmitRequest, type AdmitResult, type BudgetRule, type BudgetSpend, type Counters, type CountersOptions,
  type LimitRef, type RateRule, type RateStatus, type SettleRequest, type SettleResult, type SoftThresholdCrossing,
} from "./types";

export interface MemoryCountersOptions extends CountersOptions {
  /** Wall clock for garbage collection only (the Redis server's clock in the other store); decisions use the request's `now`. */
  clock?: () => number;
}

interface Expiring { gcAt: number }
interface RequestLog extends Expiring { log: TimeLog }
interface TokenLog extends Expiring { log: TimeLog; tokens: Map<string, number>; sum: number }
interface BudgetState extends Expiring { spent: number; reserved: number; soft: boolean; res: Map<string, number>; exp: TimeLog }
interface RecordBudget { key: string; limit: number; soft: number; gcAt: number; startMs: number; pct: number; ref: LimitRef }
interface RecordTokens { key: string; windowMs: number }
type ReservationRecord = Expiring & ({ settled: true } | { settled: false; budgets: RecordBudget[]; tokens: RecordTokens[] });

/**
 * The in-process store for embedded mode and tests: the same algorithm as the Lua scripts,
 * step for step, on maps and sorted arrays. Each call runs synchronously to its end, which gives
 * the atomicity the scripts get from Redis.
 */
export function createMemoryCounters(options: MemoryCountersOptions = {}): Counters {
  return new MemoryCounters(resolveOptions(options), options.clock ?? Date.now);
}

class MemoryCounters implements Counters {
  private readonly requests = new Map<string, RequestLog>();
  private readonly tokenLogs = new Map<string, TokenLog>();
  private readonly budgets = new Map<string, BudgetState>();
  private readonly records = new Map<string, ReservationRecord>();
  private readonly windows = new BudgetWindowCache();
  private ops = 0;

  constructor(private readonly opts: ResolvedOptions, private readonly clock: () => number) {}

  async admit(r: AdmitRequest): Promise<AdmitResult> {
    validateAdmit(r);
    this.collectGarbage();
    const rid = reservationIdOf(r.requestId, r.attempt);
    if (this.live(this.records, rid)) return { ok: true, reservationId: rid, duplicate: true, rateStatus: [] };
    const { now, estimatedTokens: est, maxCostMicros: cost } = r;

    const counts: number[] = [];
    const sums: number[] = [];
    for (let i = 0; i < r.rates.length; i++) {
      const rule = r.rates[i]!;
      const win = rule.windowSeconds * 1000;
      const keys = rateKeys("", rule);
      if (rule.rpm !== undefined) {
        const st = this.live(this.requests, keys.req);
        st?.log.trimTo(now - win);
        const c = st?.log.size ?? 0;
        if (c >= rule.rpm) {
          const retry = rule.rpm > 0 ? st!.log.timeAt(c - rule.rpm)! + win - now : -1;
          return deniedRate("rpm", rule, rule.rpm, c, retry);
        }
        counts[i] = c;
      }
      if (rule.tpm !== undefined) {
        const st = this.trimmedTokens(keys.tok, now - win);
        const sum = st?.sum ?? 0;
        if (sum >= rule.tpm || sum + est > rule.tpm) {
          return deniedRate("tpm", rule, rule.tpm, sum, st ? tokenRetryMs(st, rule.tpm, est, win, now) : -1);
        }
        sums[i] = sum;
      }
    }
    const budgetKeysOf: string[] = [];
    for (const rule of r.budgets) {
      const w = this.windows.windowOf(rule, now);
      const key = budgetKeys("", rule, w.startMs).hash;
      budgetKeysOf.push(key);
      const st = this.live(this.budgets, key);
      if (st) reclaim(st, now);
      const cur = st ? st.spent + st.reserved : 0;
      if (cur >= rule.limitMicros || cur + cost > rule.limitMicros) return deniedBudget(rule, cur, w.endMs);
    }

    const wall = this.clock();
    const rateStatus: RateStatus[] = [];
    const tokenRecs: RecordTokens[] = [];
    for (let i = 0; i < r.rates.length; i++) {
      const rule = r.rates[i]!;
      const win = rule.windowSeconds * 1000;
      const keys = rateKeys("", rule);
      if (rule.rpm !== undefined) {
        let st = this.live(this.requests, keys.req);
        if (!st) this.requests.set(keys.req, (st = { log: new TimeLog(), gcAt: 0 }));
        st.log.add(rid, now);
        st.gcAt = wall + win + rateKeySlackMs;
        rateStatus.push({ kind: "rpm", rule, limit: rule.rpm, remaining: rule.rpm - counts[i]! - 1, resetMs: st.log.timeAt(0)! + win - now });
      }
      if (rule.tpm !== undefined) {
        let st = this.live(this.tokenLogs, keys.tok);
        if (est > 0) {
          st = this.tokenLog(keys.tok, st);
          addTokens(st, rid, est, now);
          st.gcAt = wall + win + rateKeySlackMs;
        }
        const first = st?.log.timeAt(0);
        const resetMs = first === undefined ? 0 : first + win - now;
        rateStatus.push({ kind: "tpm", rule, limit: rule.tpm, remaining: rule.tpm - sums[i]! - est, resetMs });
        tokenRecs.push({ key: keys.tok, windowMs: win });
      }
    }
    const ttl = r.reservationTtlMs ?? this.opts.reservationTtlMs;
    const budgetRecs: RecordBudget[] = [];
    for (let j = 0; j < r.budgets.length; j++) {
      const rule = r.budgets[j]!;
      const key = budgetKeysOf[j]!;
      const st = this.budgetState(key);
      st.reserved += cost;
      st.res.set(rid, cost);
      st.exp.add(rid, now + ttl);
      const w = this.windows.windowOf(rule, now);
      const periodTtl = periodTtlMs(w, now, this.opts.periodRetentionMs);
      if (periodTtl >= 0) st.gcAt = wall + periodTtl;
      budgetRecs.push(recordBudget(rule, key, w.startMs, periodTtl, now));
    }
    this.records.set(rid, { settled: false, budgets: budgetRecs, tokens: tokenRecs, gcAt: wall + ttl + this.opts.lateSettleGraceMs });
    return { ok: true, reservationId: rid, duplicate: false, rateStatus };
  }

  async settle(r: SettleRequest): Promise<SettleResult> {
    validateSettle(r);
    this.collectGarbage();
    const rid = reservationIdOf(r.requestId, r.attempt);
    const { now, actualTokens: tokens, actualCostMicros: cost } = r;
    const wall = this.clock();
    let rec = this.live(this.records, rid);
    if (rec?.settled) return { status: "duplicate", crossings: [] };
    if (!rec) {
      if (!r.replay) return { status: "unknown", crossings: [] };
      rec = this.replayRecord(rid, r.replay.rates, r.replay.budgets, r.replay.admittedAt, now, wall);
    }

    const crossings: SoftThresholdCrossing[] = [];
    for (const b of rec.budgets) {
      let st = this.live(this.budgets, b.key);
      if (!st && b.gcAt >= 0) {
        // A settle after the period's state was collected starts it again, with a TTL.
        st = this.budgetState(b.key);
        st.gcAt = wall + Math.max(b.gcAt - now, 60_000);
      }
      st ??= this.budgetState(b.key);
      const amt = st.res.get(rid);
      if (amt !== undefined) {
        st.res.delete(rid);
        st.reserved -= amt;
        st.exp.remove(rid);
      }
      st.spent += cost;
      if (b.soft >= 0 && st.spent >= b.soft && !st.soft) {
        st.soft = true;
        crossings.push({ budget: b.ref, limitMicros: b.limit, spentMicros: st.spent, thresholdPct: b.pct, periodStartMs: b.startMs });
      }
    }
    for (const t of rec.tokens) {
      let st = this.live(this.tokenLogs, t.key);
      const v = st?.tokens.get(rid);
      if (st && v !== undefined) {
        st.tokens.delete(rid);
        st.log.remove(rid);
        st.sum -= v;
      }
      if (tokens > 0) {
        st = this.tokenLog(t.key, st);
        addTokens(st, rid, tokens, now);
        st.gcAt = wall + t.windowMs + rateKeySlackMs;
      }
    }
    this.records.set(rid, { settled: true, gcAt: wall + this.opts.settledRetentionMs });
    return { status: "settled", crossings };
  }

  async spend(budget: BudgetRule, now: number): Promise<BudgetSpend> {
    const w = this.windows.windowOf(budget, now);
    const st = this.live(this.budgets, budgetKeys("", budget, w.startMs).hash);
    if (st) reclaim(st, now);
    const result: BudgetSpend = { spentMicros: st?.spent ?? 0, reservedMicros: st?.reserved ?? 0, periodStartMs: w.startMs };
    if (w.endMs !== undefined) result.resetsAt = new Date(w.endMs);
    return result;
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.requests.clear();
    this.tokenLogs.clear();
    this.budgets.clear();
    this.records.clear();
  }

  /** The record a replayed settle works from; also counts the request in RPM windows it still falls in. */
  private replayRecord(rid: string, rates: readonly RateRule[], budgets: readonly BudgetRule[], at: number, now: number, wall: number) {
    const tokens: RecordTokens[] = [];
    for (const rule of rates) {
      const win = rule.windowSeconds * 1000;
      const keys = rateKeys("", rule);
      if (rule.rpm !== undefined && at > now - win) {
        let st = this.live(this.requests, keys.req);
        if (!st) this.requests.set(keys.req, (st = { log: new TimeLog(), gcAt: 0 }));
        st.log.add(rid, at);
        st.gcAt = wall + win + rateKeySlackMs;
      }
      if (rule.tpm !== undefined) tokens.push({ key: keys.tok, windowMs: win });
    }
    const recs = budgets.map((rule) => {
      const w = this.windows.windowOf(rule, at);
      return recordBudget(rule, budgetKeys("", rule, w.startMs).hash, w.startMs, periodTtlMs(w, now, this.opts.periodRetentionMs), now);
    });
    return { settled: false as const, budgets: recs, tokens, gcAt: 0 };
  }

  private trimmedTokens(key: string, floor: number): TokenLog | undefined {
    const st = this.live(this.tokenLogs, key);
    st?.log.trimTo(floor, (id) => {
      st.sum -= st.tokens.get(id) ?? 0;
      st.tokens.delete(id);
    });
    return st;
  }

  private tokenLog(key: string, existing: TokenLog | undefined): TokenLog {
    if (existing) return existing;
    const st: TokenLog = { log: new TimeLog(), tokens: new Map(), sum: 0, gcAt: 0 };
    this.tokenLogs.set(key, st);
    return st;
  }

  private budgetState(key: string): BudgetState {
    let st = this.live(this.budgets, key);
    if (!st) {
      st = { spent: 0, reserved: 0, soft: false, res: new Map(), exp: new TimeLog(), gcAt: Number.POSITIVE_INFINITY };
      this.budgets.set(key, st);
    }
    return st;
  }

  /** Like a Redis key with a TTL: gone once its time has passed. */
  private live<T extends Expiring>(map: Map<string, T>, key: string): T | undefined {
    const v = map.get(key);
    if (v && v.gcAt <= this.clock()) {
      map.delete(key);
      return undefined;
    }
    return v;
  }

  /** Sweeps expired entries every few thousand calls so idle keys do not pile up. */
  private collectGarbage(): void {
    if (++this.ops % 4096 !== 0) return;
    const wall = this.clock();
    for (const map of [this.requests, this.tokenLogs, this.budgets, this.records] as Map<string, Expiring>[]) {
      for (const [k, v] of map) if (v.gcAt <= wall) map.delete(k);
    }
  }
}

function recordBudget(rule: BudgetRule, key: string, startMs: number, periodTtl: number, now: number): RecordBudget {
  return {
    key, limit: rule.limitMicros, soft: softMicrosOf(rule), gcAt: periodTtl < 0 ? -1 : now + periodTtl, startMs,
    pct: rule.softThresholdPct ?? 0, ref: { id: rule.id, level: rule.level, label: rule.label },
  };
}

function reclaim(st: BudgetState, now: number): void {
  st.exp.trimTo(now, (id) => {
    const amt = st.res.get(id);
    if (amt !== undefined) {
      st.reserved -= amt;
      st.res.delete(id);
    }
  });
}

function addTokens(st: TokenLog, id: string, tokens: number, at: number): void {
  st.log.add(id, at);
  st.tokens.set(id, tokens);
  st.sum += tokens;
}

/** ms until enough of the window drains for `est` more tokens; -1 when it never can. */
function tokenRetryMs(st: TokenLog, tpm: number, est: number, win: number, now: number): number {
  if (est > tpm || tpm <= 0) return -1;
  let left = st.sum;
  for (let i = 0; i < st.log.size; i++) {
    left -= st.tokens.get(st.log.idAt(i)!) ?? 0;
    if (left < tpm && left + est <= tpm) return st.log.timeAt(i)! + win - now;
  }
  return -1;
}

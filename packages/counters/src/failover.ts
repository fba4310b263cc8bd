import { PortcullisError } from "@portcullis/core";
import {
  reservationIdOf,
  type AdmitRequest, type AdmitResult, type BudgetRule, type BudgetSpend, type Counters, type SettleRequest,
  type SettleResult, type SoftThresholdCrossing, type UsageReplay,
} from "./types";

/** healthy: the shared store answers; degraded: fail-open on the local fallback; unavailable: fail-closed, admissions refused. */
export type CountersState = "healthy" | "degraded" | "unavailable";

export interface FailoverOptions {
  primary: Counters;
  /** In-process counters used in "open" mode while the primary is down. */
  fallback: Counters;
  /** closed: refuse admissions (503 counters_unavailable); open: admit on the fallback and report degraded. */
  mode: "closed" | "open";
  /** Bound on each primary call, ms (default 150); a slower answer counts as a failure. */
  timeoutMs?: number;
  /** While down, at most one probe of the primary per interval, started by traffic (default 1000 ms). */
  probeIntervalMs?: number;
  /** Settlements kept for replay while the primary is down; beyond it the oldest are dropped and counted (default 100 000). */
  maxPendingSettles?: number;
  onModeChange?: (state: CountersState, cause?: unknown) => void;
  /** Soft-threshold crossings found while replaying settlements into the primary. */
  onReplayCrossings?: (crossings: SoftThresholdCrossing[]) => void;
  clock?: () => number;
}

export interface FailoverCounters extends Counters {
  state(): CountersState;
  /** Probes the primary and, if it answers, replays queued settlements; true once the primary is current. */
  reconcile(): Promise<boolean>;
  stats(): { pendingSettles: number; droppedSettles: number; fallbackInFlight: number };
}

class PrimaryTimeout extends Error {
  constructor(ms: number) {
    super(`counters did not answer within ${ms} ms`);
  }
}

/**
 * Wraps the shared (Redis) counters with a fault mode. Settlements are never lost to an outage:
 * one the primary could not take is queued and replayed in order on recovery (settle is
 * idempotent, so a replay of one that did land changes nothing), and usage admitted on the
 * fallback is replayed with its rules so the shared budgets stay truthful. While degraded each
 * replica enforces limits on its own, starting from zero: fail-open trades exactness for uptime.
 */
export function withFailover(o: FailoverOptions): FailoverCounters {
  const { primary, fallback, mode } = o;
  const timeoutMs = o.timeoutMs ?? 150;
  const probeIntervalMs = o.probeIntervalMs ?? 1000;
  const maxPending = o.maxPendingSettles ?? 100_000;
  const clock = o.clock ?? Date.now;
  let state: CountersState = "healthy";
  let lastProbe = 0;
  let reconciling: Promise<boolean> | undefined;
  let dropped = 0;
  const pending: SettleRequest[] = [];
  /** Reservations admitted on the fallback, with what their settlement must be replayed against. */
  const onFallback = new Map<string, UsageReplay>();

  function bounded<T>(p: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new PrimaryTimeout(timeoutMs)), timeoutMs);
      p.then(
        (v) => { clearTimeout(timer); resolve(v); },
        (e: unknown) => { clearTimeout(timer); reject(e); },
      );
    });
  }

  function setState(next: CountersState, cause?: unknown): void {
    if (state === next) return;
    state = next;
    o.onModeChange?.(next, cause);
  }

  function markDown(cause: unknown): void {
    lastProbe = clock();
    setState(mode === "open" ? "degraded" : "unavailable", cause);
  }

  function enqueue(request: SettleRequest): void {
    pending.push(request);
    if (pending.length > maxPending) {
      pending.shift();
      dropped++;
    }
  }

  function maybeProbe(): void {
    if (reconciling || clock() - lastProbe < probeIntervalMs) return;
    lastProbe = clock();
    void reconcile();
  }

  function reconcile(): Promise<boolean> {
    reconciling ??= drain().finally(() => { reconciling = undefined; });
    return reconciling;
  }

  async function drain(): Promise<boolean> {
    try {
      if (state !== "healthy") await bounded(primary.ping());
      while (pending.length > 0) {
        const head = pending[0]!;
        const result = await bounded(primary.settle(head));
        // The cap may have dropped the head while we waited.
        if (pending[0] === head) pending.shift();
        if (result.crossings.length > 0) o.onReplayCrossings?.(result.crossings);
      }
      // Same tick as the emptiness check: nothing can be queued in between.
      setState("healthy");
      return true;
    } catch (e) {
      markDown(e);
      return false;
    }
  }

  function unavailable(cause: unknown): PortcullisError {
    return new PortcullisError({
      code: "counters_unavailable",
      message: "Rate-limit and budget counters are unavailable; the request was not admitted.",
      retryAfter: Math.max(1, Math.ceil(probeIntervalMs / 1000)),
      cause,
    });
  }

  async function admitOnFallback(r: AdmitRequest): Promise<AdmitResult> {
    const result = await fallback.admit(r);
    if (result.ok) {
      result.degraded = true;
      if (!result.duplicate) {
        onFallback.set(result.reservationId, { rates: r.rates, budgets: r.budgets, admittedAt: r.now });
        // Requests that never settle must not grow this without bound: forget the oldest.
        if (onFallback.size > maxPending) onFallback.delete(onFallback.keys().next().value!);
      }
    }
    return result;
  }

  async function admit(r: AdmitRequest): Promise<AdmitResult> {
    if (state !== "healthy") {
      maybeProbe();
      if (mode === "closed") throw unavailable(undefined);
      return admitOnFallback(r);
    }
    try {
      return await bounded(primary.admit(r));
    } catch (e) {
      if (e instanceof PortcullisError && e.code !== "counters_unavailable") throw e;
      markDown(e);
      // A timed-out admission may still have run in the store. If the fallback admits it, its
      // settlement, replayed with its rules, releases that and bills the usage; otherwise queue a
      // release (the caller must not reuse a refused (requestId, attempt)).
      const local = mode === "open" ? await admitOnFallback(r) : undefined;
      if (!local?.ok) enqueue({ requestId: r.requestId, attempt: r.attempt, actualTokens: 0, actualCostMicros: 0, now: r.now });
      if (!local) throw unavailable(e);
      return local;
    }
  }

  async function settle(r: SettleRequest): Promise<SettleResult> {
    const rid = reservationIdOf(r.requestId, r.attempt);
    const replay = onFallback.get(rid);
    if (replay) {
      onFallback.delete(rid);
      const local = await fallback.settle(r);
      enqueue({ ...r, replay });
      if (state === "healthy") void reconcile();
      else maybeProbe();
      return local;
    }
    if (state !== "healthy") {
      enqueue(r);
      maybeProbe();
      return { status: "deferred", crossings: [] };
    }
    try {
      return await bounded(primary.settle(r));
    } catch (e) {
      if (e instanceof PortcullisError && e.code !== "counters_unavailable") throw e;
      markDown(e);
      enqueue(r);
      return { status: "deferred", crossings: [] };
    }
  }

  async function spend(budget: BudgetRule, now: number): Promise<BudgetSpend> {
    if (state !== "healthy") {
      maybeProbe();
      throw unavailable(undefined);
    }
    try {
      return await bounded(primary.spend(budget, now));
    } catch (e) {
      markDown(e);
      throw unavailable(e);
    }
  }

  return {
    admit,
    settle,
    spend,
    state: () => state,
    reconcile,
    stats: () => ({ pendingSettles: pending.length, droppedSettles: dropped, fallbackInFlight: onFallback.size }),
    async ping() {
      await bounded(primary.ping());
    },
    async close() {
      await Promise.all([primary.close(), fallback.close()]);
    },
  };
}

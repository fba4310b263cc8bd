import { Redis } from "ioredis";
import { admitLua, settleLua, spendLua } from "./lua";
import { LuaScript } from "./lua-script";
import { BudgetWindowCache, budgetKeys, defaultKeyPrefix, rateKeySlackMs, recordKey, resolveOptions } from "./keys";
import { deniedBudget, deniedRate, validateAdmit, validateSettle } from "./results";
import { pushRuleArgs } from "./rule-args";
import {
  reservationIdOf,
  type AdmitRequest, type AdmitResult, type BudgetRule, type BudgetSpend, type Counters, type CountersOptions,
  type RateStatus, type SettleRequest, type SettleResult, type SoftThresholdCrossing,
} from "./types";

export interface RedisCountersOptions extends CountersOptions {
  /** Namespace of every key; tests use a unique one per run. Default "pc:ctr:". */
  keyPrefix?: string;
  /**
   * Bound on one command when the counters create the client from a URL (ioredis
   * `commandTimeout`); a client passed in keeps its own settings. Default 150 ms.
   */
  commandTimeoutMs?: number;
}

const admitScript = new LuaScript(admitLua);
const settleScript = new LuaScript(settleLua);
const spendScript = new LuaScript(spendLua);

/**
 * Counters in one Redis (not Cluster: the settle script touches keys named in the reservation
 * record). Exact across gateway replicas because every decision is one Lua script; `now` comes
 * from the caller, so replicas' clocks should agree (NTP): skew shifts windows by that much.
 */
export function createRedisCounters(redis: Redis | string, options: RedisCountersOptions = {}): Counters {
  const owned = typeof redis === "string";
  const client = owned ? connectCounters(redis, options.commandTimeoutMs ?? 150) : redis;
  const prefix = options.keyPrefix ?? defaultKeyPrefix;
  const opts = resolveOptions(options);
  const windows = new BudgetWindowCache();

  async function admit(r: AdmitRequest): Promise<AdmitResult> {
    validateAdmit(r);
    const reservationId = reservationIdOf(r.requestId, r.attempt);
    const ttl = r.reservationTtlMs ?? opts.reservationTtlMs;
    const keys = [recordKey(prefix, reservationId)];
    const args: (string | number)[] = [
      reservationId, r.now, r.estimatedTokens, r.maxCostMicros, ttl, ttl + opts.lateSettleGraceMs,
      r.rates.length, r.budgets.length, rateKeySlackMs,
    ];
    pushRuleArgs(prefix, windows, opts, r.rates, r.budgets, r.now, r.now, keys, args);
    const reply = (await admitScript.run(client, keys, args)) as (number | string)[];
    const tag = reply[0];
    if (tag === 2) return { ok: true, reservationId, duplicate: true, rateStatus: [] };
    if (tag === 1) {
      const rateStatus: RateStatus[] = [];
      for (let i = 1; i < reply.length; i += 5) {
        rateStatus.push({
          kind: reply[i] === 1 ? "rpm" : "tpm",
          rule: r.rates[Number(reply[i + 1]) - 1]!,
          limit: Number(reply[i + 2]),
          remaining: Number(reply[i + 3]),
          resetMs: Number(reply[i + 4]),
        });
      }
      return { ok: true, reservationId, duplicate: false, rateStatus };
    }
    const [, kind, index, limit, current, retry] = reply.map(Number) as [number, number, number, number, number, number];
    if (kind === 3) {
      const rule = r.budgets[index - 1]!;
      return deniedBudget(rule, current, windows.windowOf(rule, r.now).endMs);
    }
    return deniedRate(kind === 1 ? "rpm" : "tpm", r.rates[index - 1]!, limit, current, retry);
  }

  async function settle(r: SettleRequest): Promise<SettleResult> {
    validateSettle(r);
    const reservationId = reservationIdOf(r.requestId, r.attempt);
    const keys = [recordKey(prefix, reservationId)];
    const replay = r.replay;
    const args: (string | number)[] = [
      reservationId, r.now, r.actualTokens, r.actualCostMicros, opts.settledRetentionMs, rateKeySlackMs,
      replay ? "1" : "0", replay?.admittedAt ?? 0, replay?.rates.length ?? 0, replay?.budgets.length ?? 0,
    ];
    if (replay) pushRuleArgs(prefix, windows, opts, replay.rates, replay.budgets, replay.admittedAt, r.now, keys, args);
    const reply = (await settleScript.run(client, keys, args)) as (number | string)[];
    if (reply[0] === 2) return { status: "duplicate", crossings: [] };
    if (reply[0] === 3) return { status: "unknown", crossings: [] };
    const crossings: SoftThresholdCrossing[] = [];
    for (let i = 1; i < reply.length; i += 7) {
      crossings.push({
        budget: { id: String(reply[i]), level: String(reply[i + 1]) as SoftThresholdCrossing["budget"]["level"], label: String(reply[i + 2]) },
        limitMicros: Number(reply[i + 3]),
        spentMicros: Number(reply[i + 4]),
        thresholdPct: Number(reply[i + 5]),
        periodStartMs: Number(reply[i + 6]),
      });
    }
    return { status: "settled", crossings };
  }

  async function spend(budget: BudgetRule, now: number): Promise<BudgetSpend> {
    const w = windows.windowOf(budget, now);
    const k = budgetKeys(prefix, budget, w.startMs);
    const [spent, reserved] = (await spendScript.run(client, [k.hash, k.exp], [now])) as [number, number];
    const result: BudgetSpend = { spentMicros: Number(spent), reservedMicros: Number(reserved), periodStartMs: w.startMs };
    if (w.endMs !== undefined) result.resetsAt = new Date(w.endMs);
    return result;
  }

  return {
    admit,
    settle,
    spend,
    async ping() {
      // With the offline queue off, commands fail until the connection is ready: wait for it here.
      if (owned && client.status !== "ready") await readyWithin(client, 2_000);
      await client.ping();
    },
    async close() {
      // A client passed in belongs to the caller, who may share it.
      if (owned) await client.quit().catch(() => client.disconnect());
    },
  };
}

/**
 * A client for the hot path. No offline queue: while disconnected a command fails at once
 * instead of waiting for a reconnect, and, more important, is not sent later: an admission the
 * gateway already answered with a 503 or served from the fallback must not reserve budget when
 * Redis comes back. Each command is bounded by `commandTimeout`; reconnection keeps trying.
 */
function connectCounters(url: string, commandTimeoutMs: number): Redis {
  const client = new Redis(url, {
    commandTimeout: commandTimeoutMs,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    retryStrategy: (times) => Math.min(times * 100, 2_000),
  });
  // Errors surface through the commands; without a listener ioredis logs each reconnect attempt.
  client.on("error", () => {});
  return client;
}

function readyWithin(client: Redis, ms: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      client.off("ready", onReady);
      reject(new Error(`redis not ready within ${ms} ms (status ${client.status})`));
    }, ms);
    client.once("ready", onReady);
  });
}

import type { Context } from "hono";
import { PortcullisError, type ErrorCode } from "@portcullis/core";
import type { RetryCondition } from "@portcullis/policy";
import { asPortcullisError } from "../errors";
import { clientGone, clientSignal } from "../lib/node-request";
import { targetId, type RoutePlan } from "../routing/router";
import type { ResolvedTarget } from "../routing/resolve-targets";
import type { RequestTrace } from "./trace";

/** How a failed attempt is classified against `retryOn` / `fallbackOn`. */
export function conditionOf(err: PortcullisError): RetryCondition | "limit" | undefined {
  const status = err.details?.upstream_status;
  if (typeof status === "number") return status;
  if (err.details?.beforeFirstToken === true) return "stream_before_first_token";
  if (err.code === "upstream_timeout") return "timeout";
  if (err.code === "upstream_unavailable" || err.code === "upstream_error") return "connection";
  // A provider key's own limit sends the request to another key; any other level's limit applies everywhere.
  if ((err.code === "rate_limited" || err.code === "budget_exceeded") && err.details?.level === "provider_key") return "limit";
  return undefined;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(t);
      resolve();
    }, { once: true });
  });

export interface AttemptContext {
  /** This attempt's upstream timeout: the policy's per-attempt limit, capped by the overall deadline. */
  timeoutMs: number;
}

/**
 * Tries the plan's targets in order: retries of the same target with exponential
 * backoff and jitter (honouring `retry-after` up to a limit), fallback to the next
 * target on the configured conditions, circuit breakers skipping open targets, a
 * per-attempt timeout and an overall deadline. Every attempt is admitted and settled
 * on its own (inside `run`). When everything fails, the error names each target
 * tried and why.
 */
export async function routeAttempts<T>(c: Context, trace: RequestTrace, plan: RoutePlan, run: (t: ResolvedTarget, a: AttemptContext) => Promise<T>): Promise<T> {
  const services = c.get("services");
  const { policy } = plan;
  const started = services.now();
  const deadline = started + (policy.totalTimeoutMs ?? services.upstreamTimeoutMs * 2);
  const attemptLimit = policy.attemptTimeoutMs ?? services.upstreamTimeoutMs;
  const failures: string[] = [];
  let lastError: PortcullisError | undefined;
  let minRetryAfter: number | undefined;
  trace.record.metadata = { ...trace.record.metadata, ...(plan.rule ? { routingRule: plan.rule } : {}) };

  for (const [index, target] of plan.targets.entries()) {
    const isLast = index === plan.targets.length - 1;
    const id = targetId(target);
    const label = `${target.provider.name}/${target.providerKey.name}`;
    if (!services.circuits.acquire(id)) {
      failures.push(`${label}: circuit open`);
      trace.skipped(target, "circuit open");
      continue;
    }
    for (let retry = 0; ; retry++) {
      const remaining = deadline - services.now();
      if (remaining <= 0) {
        services.circuits.release(id);
        failures.push(`${label}: overall deadline reached`);
        return fail();
      }
      const t0 = performance.now();
      try {
        const result = await run(target, { timeoutMs: Math.max(1, Math.min(attemptLimit, remaining)) });
        services.circuits.success(id, performance.now() - t0);
        return result;
      } catch (e) {
        const err = asPortcullisError(e);
        const condition = conditionOf(err);
        if (condition === undefined) {
          services.circuits.release(id);
          throw err;
        }
        lastError = err;
        const reason = condition === "limit" ? err.code : typeof condition === "number" ? `${condition} ${err.message}` : condition;
        if (condition !== "limit") services.circuits.failure(id, reason);
        trace.failed(reason);
        if (err.retryAfter !== undefined) minRetryAfter = Math.min(minRetryAfter ?? Infinity, err.retryAfter);
        const retryAfterMs = err.retryAfter !== undefined ? err.retryAfter * 1000 : undefined;
        // A rate-limited target is left for the next one when there is one; waiting is for the last resort.
        const preferFallback = condition === 429 && !isLast && policy.fallbackOn.includes(429);
        const canRetry = condition !== "limit" && !preferFallback && policy.retryOn.includes(condition) && retry < policy.retries &&
          (retryAfterMs === undefined || retryAfterMs <= policy.maxRetryAfterMs) && !clientGone(c);
        if (canRetry && services.circuits.acquire(id)) {
          const backoff = Math.min(policy.maxBackoffMs, policy.backoffMs * 2 ** retry);
          const jittered = backoff / 2 + Math.random() * (backoff / 2);
          const wait = Math.max(retryAfterMs ?? 0, jittered);
          if (services.now() + wait < deadline) {
            await sleep(wait, clientSignal(c));
            continue;
          }
          services.circuits.release(id);
        }
        failures.push(`${label}: ${reason}`);
        if (condition !== "limit" && !policy.fallbackOn.includes(condition)) throw err;
        break;
      }
    }
  }
  return fail();

  function fail(): never {
    if (plan.targets.length === 1 && lastError && failures.length === 1) throw lastError;
    const allLimited = lastError?.code === "rate_limited" && failures.every((f) => / 429 |rate_limited/.test(f));
    const code: ErrorCode = allLimited ? "rate_limited" : failures.every((f) => f.endsWith("circuit open")) ? "no_healthy_target" : "upstream_unavailable";
    throw new PortcullisError({
      code,
      message: `all ${plan.targets.length} target(s) failed: ${failures.join("; ")}`,
      ...(allLimited && minRetryAfter !== undefined ? { retryAfter: minRetryAfter } : {}),
      details: { targets: failures },
    });
  }
}

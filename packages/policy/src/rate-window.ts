/**
 * Helpers for sliding-window rate limits: turning window state into `Retry-After` and the
 * OpenAI-style `x-ratelimit-*` headers.
 */

/** State of one RPM or TPM window after an admission. */
export interface RateWindowStatus {
  kind: "rpm" | "tpm";
  limit: number;
  remaining: number;
  /** ms until the oldest counted entry leaves the window (when `remaining` next grows); 0 when empty. */
  resetMs: number;
}

/** Whole seconds for `Retry-After`: rounded up, at least 1 so a client never retries too early. */
export function retryAfterSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

/** The window of a kind with the fewest remaining units (ties: the smaller limit, then the later reset). */
export function tightestRateStatus<T extends RateWindowStatus>(statuses: readonly T[], kind: "rpm" | "tpm"): T | undefined {
  let best: T | undefined;
  for (const s of statuses) {
    if (s.kind !== kind) continue;
    if (
      !best ||
      s.remaining < best.remaining ||
      (s.remaining === best.remaining && (s.limit < best.limit || (s.limit === best.limit && s.resetMs > best.resetMs)))
    ) {
      best = s;
    }
  }
  return best;
}

/** `x-ratelimit-{limit,remaining,reset}-{requests,tokens}` from the tightest RPM and TPM windows. */
export function rateLimitHeaders(statuses: readonly RateWindowStatus[]): Record<string, string> {
  const headers: Record<string, string> = {};
  const requests = tightestRateStatus(statuses, "rpm");
  if (requests) {
    headers["x-ratelimit-limit-requests"] = String(requests.limit);
    headers["x-ratelimit-remaining-requests"] = String(Math.max(0, requests.remaining));
    headers["x-ratelimit-reset-requests"] = formatResetDuration(requests.resetMs);
  }
  const tokens = tightestRateStatus(statuses, "tpm");
  if (tokens) {
    headers["x-ratelimit-limit-tokens"] = String(tokens.limit);
    headers["x-ratelimit-remaining-tokens"] = String(Math.max(0, tokens.remaining));
    headers["x-ratelimit-reset-tokens"] = formatResetDuration(tokens.resetMs);
  }
  return headers;
}

/** Durations as OpenAI writes them in reset headers: "250ms", "1.5s", "6m0s", "1h2m3s". */
export function formatResetDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms));
  if (total < 1000) return `${total}ms`;
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor((total % 3_600_000) / 60_000);
  const seconds = (total % 60_000) / 1000;
  const s = `${Number(seconds.toFixed(3))}s`;
  if (hours > 0) return `${hours}h${minutes}m${s}`;
  if (minutes > 0) return `${minutes}m${s}`;
  return s;
}

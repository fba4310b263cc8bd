import { PortcullisError } from "@portcullis/core";
import type { AdmitDenied } from "./types";

/**
 * The error a route answers with for a denied admission: 429 rate_limited (with Retry-After)
 * or 402 budget_exceeded, naming the level and the rule so the caller knows which limit to raise.
 */
export function denialToError(d: AdmitDenied, requestId: string): PortcullisError {
  const what = d.kind === "budget" ? "budget" : d.kind === "rpm" ? "requests-per-window limit" : "tokens-per-window limit";
  const level = d.rule.level.replace("_", " ");
  const message = d.kind === "budget"
    ? `The ${level} ${what} "${d.rule.label}" is exhausted${d.resetsAt ? `; it resets at ${d.resetsAt.toISOString()}` : ""}.`
    : `The ${level} ${what} "${d.rule.label}" (${d.limit}) is reached${d.retryAfterSeconds ? `; retry in ${d.retryAfterSeconds} s` : ""}.`;
  const init: ConstructorParameters<typeof PortcullisError>[0] = {
    code: d.reason,
    message,
    param: `${d.rule.level}:${d.rule.id}`,
    details: { requestId, level: d.rule.level, rule: d.rule.id, label: d.rule.label, kind: d.kind, limit: d.limit, current: d.current },
  };
  if (d.retryAfterSeconds !== undefined) init.retryAfter = d.retryAfterSeconds;
  return new PortcullisError(init);
}

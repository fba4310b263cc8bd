/** Google API error bodies (`{"error": {code, message, status, details}}`) as the simulators send them. */
import type { ServerResponse } from "node:http";
import type { Faults } from "../shared/faults";
import { sendJson } from "../shared/server";

const statusNames: Record<number, string> = {
  400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED", 404: "NOT_FOUND", 429: "RESOURCE_EXHAUSTED",
  500: "INTERNAL", 503: "UNAVAILABLE", 504: "DEADLINE_EXCEEDED",
};
const faultMessages: Record<number, string> = {
  429: "Resource has been exhausted (e.g. check quota).",
  500: "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting",
  503: "The model is overloaded. Please try again later.",
  504: "Deadline expired before operation could complete.",
};

export function googleErrorBody(code: number, message: string, details?: unknown[]) {
  const status = statusNames[code] ?? (code >= 500 ? "INTERNAL" : "FAILED_PRECONDITION");
  return { error: { code, message, status, ...(details ? { details } : {}) } };
}

export function googleError(res: ServerResponse, code: number, message: string, details?: unknown[]): void {
  sendJson(res, code, googleErrorBody(code, message, details));
}

/**
 * The injected-status error in Google's shape. A 429 names the quota it hit and,
 * with `retry-after`, carries Google's own retry hint: a RetryInfo detail.
 */
export function googleFaultResponse(service: string) {
  return (status: number, _message: string, faults: Faults) => {
    const details: unknown[] = [];
    if (status === 429) {
      details.push({
        "@type": "type.googleapis.com/google.rpc.QuotaFailure",
        violations: [{ quotaMetric: `${service}/generate_content_requests`, quotaId: "GenerateRequestsPerMinutePerProjectPerModel" }],
      });
      if (faults.retryAfter !== undefined) details.push({ "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: `${faults.retryAfter}s` });
    }
    return { body: googleErrorBody(status, faultMessages[status] ?? `simulated ${status}`, details.length ? details : undefined) };
  };
}

import type { BudgetAlertRecord } from "@portcullis/events";
import type { AlertRecord, EventSink } from "./events";

export interface AlertWebhookOptions {
  fetch?: typeof fetch;
  attempts?: number;
  backoffMs?: number;
  timeoutMs?: number;
  onFailure?: (alert: AlertRecord, error: unknown) => void;
}

/**
 * Posts budget alerts to the budget's webhook as well as recording them, off the
 * request path, with a few retries. The body names the budget, the threshold and
 * the spend, never a key.
 */
export function withAlertWebhooks(sink: EventSink, opts: AlertWebhookOptions = {}): EventSink {
  const post = opts.fetch ?? fetch;
  const attempts = opts.attempts ?? 4;
  const backoff = opts.backoffMs ?? 500;
  const deliver = async (a: BudgetAlertRecord) => {
    const body = JSON.stringify({
      type: "budget.soft_threshold_reached",
      budget: { id: a.budgetId, label: a.label },
      thresholdPct: a.thresholdPct,
      spentUsd: a.spentMicros / 1_000_000,
      limitUsd: a.limitMicros / 1_000_000,
      at: new Date(a.at).toISOString(),
    });
    let last: unknown;
    for (let i = 0; i < attempts; i++) {
      try {
        const res = await post(a.webhookUrl!, {
          method: "POST", headers: { "content-type": "application/json", "user-agent": "portcullis-alerts" }, body,
          signal: AbortSignal.timeout(opts.timeoutMs ?? 5000),
        });
        if (res.ok) return;
        last = new Error(`webhook answered ${res.status}`);
        if (res.status < 500 && res.status !== 429) break;
      } catch (e) {
        last = e;
      }
      await new Promise((r) => setTimeout(r, backoff * 2 ** i));
    }
    opts.onFailure?.(a, last);
  };
  return {
    request: (r) => sink.request(r),
    decision: (d) => sink.decision(d),
    alert(a) {
      sink.alert(a);
      if (a.kind === "budget_soft_threshold" && a.webhookUrl) void deliver(a);
    },
  };
}

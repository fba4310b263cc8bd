"use client";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/react";

const numberFormat = new Intl.NumberFormat("en");

const stats = [
  { key: "activeVirtualKeys", label: "Active virtual keys" },
  { key: "teams", label: "Teams" },
  { key: "providers", label: "Providers" },
  { key: "requestsLast24h", label: "Requests (last 24 h)" },
] as const;

export function OverviewStats() {
  const trpc = useTRPC();
  const summary = useQuery(trpc.overview.summary.queryOptions());

  if (summary.error) {
    const forbidden = summary.error.data?.code === "FORBIDDEN";
    return (
      <p className={forbidden ? "notice" : "notice notice-error"} role={forbidden ? "note" : "alert"}>
        {forbidden
          ? "Your roles do not include the organisation-wide overview (it needs spend.read or fleet.read)."
          : `Could not load the overview: ${summary.error.message}`}
      </p>
    );
  }

  return (
    <section aria-labelledby="overview-stats-title" aria-busy={summary.isPending}>
      <h2 id="overview-stats-title" className="visually-hidden">
        Key figures
      </h2>
      <dl className="stat-grid">
        {stats.map((stat) => (
          <div key={stat.key} className="stat-card">
            <dt id={`stat-${stat.key}`}>{stat.label}</dt>
            <dd aria-labelledby={`stat-${stat.key}`} data-testid={`stat-${stat.key}`}>
              {summary.data ? numberFormat.format(summary.data[stat.key]) : <span className="stat-skeleton" aria-label="Loading" />}
            </dd>
          </div>
        ))}
      </dl>
      {summary.data ? (
        <p className="muted stat-footnote">
          As of <time dateTime={summary.data.asOf}>{new Date(summary.data.asOf).toLocaleString("en")}</time>.
        </p>
      ) : null}
    </section>
  );
}

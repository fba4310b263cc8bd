"use client";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Field } from "@/components/ui/field";
import { formatNumber, formatRelative, formatUsd } from "@/components/ui/format";
import { TimeChart } from "@/components/ui/time-chart";
import { useTRPC } from "@/trpc/react";
import type { RouterOutputs } from "@/trpc/types";

type Top = RouterOutputs["overview"]["charts"]["top"]["keys"];

function TopList({ title, items }: { title: string; items: Top }) {
  return (
    <section className="card" aria-labelledby={`top-${title}`}>
      <h3 id={`top-${title}`} style={{ fontSize: 15, marginBottom: 8 }}>
        {title}
      </h3>
      {items.length === 0 ? (
        <p className="muted">No spend in this range.</p>
      ) : (
        <ol className="top-list">
          {items.map((t) => (
            <li key={t.id}>
              <span>{t.label}</span>
              <span className="muted">
                {formatUsd(t.costUsd)} · {formatNumber(t.requests)} req
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

export function OverviewCharts() {
  const trpc = useTRPC();
  const [days, setDays] = useState<7 | 14 | 30 | 90>(14);
  const charts = useQuery(trpc.overview.charts.queryOptions({ days }));
  if (charts.error) return charts.error.data?.code === "FORBIDDEN" ? null : <p className="notice notice-error" role="alert">Could not load charts: {charts.error.message}</p>;
  const d = charts.data;
  return (
    <section className="section" aria-labelledby="trends-title" aria-busy={charts.isPending} style={{ marginTop: 24 }}>
      <div className="page-header" style={{ marginBottom: 12 }}>
        <h2 id="trends-title" className="section-title" style={{ margin: 0 }}>
          Trends
        </h2>
        <Field label="Range">
          <select value={days} onChange={(e) => setDays(Number(e.target.value) as 7 | 14 | 30 | 90)}>
            <option value={7}>7 days</option>
            <option value={14}>14 days</option>
            <option value={30}>30 days</option>
            <option value={90}>90 days</option>
          </select>
        </Field>
      </div>
      {!d ? (
        <div className="grid-2">
          <div className="card skeleton-row" style={{ height: 180 }} />
          <div className="card skeleton-row" style={{ height: 180 }} />
        </div>
      ) : (
        <>
          <div className="grid-2">
            <TimeChart title="Spend (USD per day)" days={d.series.map((p) => p.day)} series={[{ label: "Spend", kind: "bar", values: d.series.map((p) => p.costUsd) }]} format={formatUsd} />
            <TimeChart
              title="Requests and errors"
              days={d.series.map((p) => p.day)}
              series={[
                { label: "Requests", kind: "bar", values: d.series.map((p) => p.requests) },
                { label: "Errors", kind: "bar", className: "bar-error", values: d.series.map((p) => p.errors) },
              ]}
              format={(n) => formatNumber(Math.round(n))}
            />
            <TimeChart
              title="Latency (ms)"
              days={d.series.map((p) => p.day)}
              series={[
                { label: "Average", kind: "line", values: d.series.map((p) => p.avgLatencyMs) },
                { label: "p95", kind: "line", className: "series-2", values: d.series.map((p) => p.p95LatencyMs) },
              ]}
              format={(n) => formatNumber(Math.round(n))}
            />
            <TimeChart title="Tokens per day" days={d.series.map((p) => p.day)} series={[{ label: "Tokens", kind: "line", values: d.series.map((p) => p.tokens) }]} format={(n) => formatNumber(Math.round(n))} />
          </div>
          <div className="grid-3" style={{ marginTop: 16 }}>
            <TopList title="Top keys" items={d.top.keys} />
            <TopList title="Top teams" items={d.top.teams} />
            <TopList title="Top models" items={d.top.models} />
          </div>
          <p className="muted stat-footnote">
            Daily figures from the worker&apos;s rollup{d.rolledUpAsOf ? `, last updated ${formatRelative(d.rolledUpAsOf)}` : " (nothing rolled up yet)"}; latency from request logs. Days in UTC.
          </p>
        </>
      )}
    </section>
  );
}

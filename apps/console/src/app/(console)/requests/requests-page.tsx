"use client";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { DateRangeFields } from "@/components/ui/date-range-fields";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { formatDateTime, formatNumber, formatUsd } from "@/components/ui/format";
import { LoadMore } from "@/components/ui/load-more";
import { RowButton } from "@/components/ui/row-actions";
import { useViewer } from "@/components/viewer-context";
import { useTRPC } from "@/trpc/react";

type Outcome = "success" | "error" | "denied" | "incomplete";
interface Filters {
  teamId?: string;
  virtualKeyId?: string;
  model?: string;
  outcome?: Outcome;
  from?: string;
  to?: string;
}

export function RequestsPage() {
  const trpc = useTRPC();
  const viewer = useViewer();
  const [filters, setFilters] = useState<Filters>({});
  const [openId, setOpenId] = useState<string | null>(null);
  const input = { ...filters, from: filters.from ? new Date(`${filters.from}T00:00:00`).toISOString() : undefined, to: filters.to ? new Date(`${filters.to}T23:59:59.999`).toISOString() : undefined, limit: 50 };
  const logs = useInfiniteQuery(trpc.requestLogs.list.infiniteQueryOptions(input, { getNextPageParam: (last) => last.nextCursor ?? undefined }));
  const teams = useQuery({ ...trpc.teams.list.queryOptions(), enabled: viewer.canSomewhere("team.read") });
  const detail = useQuery({ ...trpc.requestLogs.get.queryOptions({ id: openId ?? "" }), enabled: openId !== null });
  const items = logs.data?.pages.flatMap((p) => p.items) ?? [];
  const set = (patch: Partial<Filters>) => setFilters((f) => ({ ...f, ...patch }));

  return (
    <>
      <div className="page-header">
        <div>
          <h1 className="page-title">Request logs</h1>
          <p className="page-subtitle">Every request through the gateway: who, which model, tokens, latency, cost and outcome.</p>
        </div>
      </div>
      <form className="toolbar" role="search" aria-label="Filter requests" onSubmit={(e) => e.preventDefault()}>
        <Field label="Team">
          <select value={filters.teamId ?? ""} onChange={(e) => set({ teamId: e.target.value || undefined })}>
            <option value="">All teams</option>
            {(teams.data ?? []).map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Virtual key id">
          <input type="search" value={filters.virtualKeyId ?? ""} placeholder="vk_…" onChange={(e) => set({ virtualKeyId: e.target.value.trim() || undefined })} />
        </Field>
        <Field label="Model">
          <input type="search" value={filters.model ?? ""} placeholder="gpt-4o-mini" onChange={(e) => set({ model: e.target.value.trim() || undefined })} />
        </Field>
        <Field label="Outcome">
          <select value={filters.outcome ?? ""} onChange={(e) => set({ outcome: (e.target.value || undefined) as Outcome | undefined })}>
            <option value="">Any</option>
            {(["success", "error", "denied", "incomplete"] as const).map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        </Field>
        <DateRangeFields from={filters.from} to={filters.to} onChange={set} />
      </form>

      {logs.error ? (
        <p className="notice notice-error" role="alert">
          Could not load requests: {logs.error.message}
        </p>
      ) : logs.isPending ? (
        <div className="table-wrap" aria-busy="true" aria-label="Loading requests">
          <div className="skeleton-row" />
          <div className="skeleton-row" />
        </div>
      ) : items.length === 0 ? (
        <div className="table-wrap empty">
          <strong>No requests match.</strong>The worker writes them here shortly after the gateway answers.
        </div>
      ) : (
        <div className="table-wrap">
          <table className="table" aria-label="Requests">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Key</th>
                <th scope="col">Model</th>
                <th scope="col" className="num">Tokens in/out</th>
                <th scope="col" className="num">Latency</th>
                <th scope="col" className="num">Cost</th>
                <th scope="col">Outcome</th>
                <th scope="col">
                  <span className="visually-hidden">Details</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((r) => (
                <tr key={r.id}>
                  <td className="nowrap">{formatDateTime(r.createdAt)}</td>
                  <td>{r.keyName ?? <span className="mono">{r.virtualKeyId ?? "—"}</span>}</td>
                  <td>
                    <span className="mono">{r.modelUsed ?? r.modelRequested ?? "—"}</span>
                    <div className="muted">
                      {r.provider ?? ""} {r.endpoint}
                    </div>
                  </td>
                  <td className="num">
                    {formatNumber(r.inputTokens)} / {formatNumber(r.outputTokens)}
                  </td>
                  <td className="num">{r.latencyMs === null ? "—" : `${formatNumber(r.latencyMs)} ms`}</td>
                  <td className="num">{formatUsd(r.costUsd)}</td>
                  <td>
                    <Badge>{r.outcome}</Badge>
                    {r.errorCode ? <div className="muted mono">{r.errorCode}</div> : null}
                  </td>
                  <td>
                    <RowButton label={`Details of request ${r.id}`} onClick={() => setOpenId(r.id)}>
                      Details
                    </RowButton>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore query={logs} label="Load older requests" />

      <Dialog open={openId !== null} onClose={() => setOpenId(null)} title={`Request ${openId ?? ""}`} wide>
        {detail.data ? (
          <pre className="code">{JSON.stringify(detail.data, null, 2)}</pre>
        ) : detail.error ? (
          <p className="notice notice-error" role="alert">
            {detail.error.message}
          </p>
        ) : (
          <div className="skeleton-row" aria-label="Loading" />
        )}
        <div className="form-actions">
          <button type="button" className="button button-secondary" onClick={() => setOpenId(null)}>
            Close
          </button>
        </div>
      </Dialog>
    </>
  );
}

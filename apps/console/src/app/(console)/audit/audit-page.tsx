"use client";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { DateRangeFields } from "@/components/ui/date-range-fields";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { formatDateTime } from "@/components/ui/format";
import { LoadMore } from "@/components/ui/load-more";
import { RowButton } from "@/components/ui/row-actions";
import { useViewer } from "@/components/viewer-context";
import { useTRPC } from "@/trpc/react";
import { ChainPanel } from "./chain-panel";
import { DiffView } from "./diff-view";

interface Filters {
  action?: string;
  actor?: string;
  targetType?: string;
  outcome?: "success" | "failure" | "denied";
  from?: string;
  to?: string;
}

/** Dates typed in the filter are local days; the API takes instants. */
function toApiFilters(f: Filters) {
  return {
    ...f,
    from: f.from ? new Date(`${f.from}T00:00:00`).toISOString() : undefined,
    to: f.to ? new Date(`${f.to}T23:59:59.999`).toISOString() : undefined,
  };
}

function exportHref(format: "csv" | "jsonl", f: Filters): string {
  const params = new URLSearchParams({ format });
  for (const [k, v] of Object.entries(toApiFilters(f))) if (v) params.set(k, v);
  return `/api/audit/export?${params}`;
}

export function AuditPage() {
  const trpc = useTRPC();
  const viewer = useViewer();
  const [filters, setFilters] = useState<Filters>({});
  const [openId, setOpenId] = useState<string | null>(null);
  const events = useInfiniteQuery(trpc.audit.list.infiniteQueryOptions({ ...toApiFilters(filters), limit: 50 }, { getNextPageParam: (last) => last.nextCursor ?? undefined }));
  const head = useQuery(trpc.audit.chainHead.queryOptions());
  const detail = useQuery({ ...trpc.audit.get.queryOptions({ id: openId ?? "" }), enabled: openId !== null });
  const items = events.data?.pages.flatMap((p) => p.items) ?? [];
  const set = (patch: Partial<Filters>) => setFilters((f) => ({ ...f, ...patch }));

  return (
    <>
      <div className="page-header">
        <div>
          <h1 className="page-title">Audit log</h1>
          <p className="page-subtitle">Every change and sign-in, append-only and hash-chained.</p>
        </div>
        {viewer.can("audit.export") ? (
          <div className="page-actions">
            <a className="button button-secondary" href={exportHref("csv", filters)} download>
              Export CSV
            </a>
            <a className="button button-secondary" href={exportHref("jsonl", filters)} download>
              Export JSONL
            </a>
          </div>
        ) : null}
      </div>

      <ChainPanel />

      <form className="toolbar" role="search" aria-label="Filter audit events" onSubmit={(e) => e.preventDefault()}>
        <Field label="Action">
          <select value={filters.action ?? ""} onChange={(e) => set({ action: e.target.value || undefined })}>
            <option value="">Any action</option>
            {[...new Set((head.data?.actions ?? []).map((a) => `${a.split(".")[0]}.`))].map((prefix) => (
              <option key={prefix} value={prefix}>
                {prefix}*
              </option>
            ))}
            {(head.data?.actions ?? []).map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Actor">
          <input type="search" placeholder="e-mail or id" value={filters.actor ?? ""} onChange={(e) => set({ actor: e.target.value || undefined })} />
        </Field>
        <Field label="Outcome">
          <select value={filters.outcome ?? ""} onChange={(e) => set({ outcome: (e.target.value || undefined) as Filters["outcome"] })}>
            <option value="">Any</option>
            <option value="success">success</option>
            <option value="denied">denied</option>
            <option value="failure">failure</option>
          </select>
        </Field>
        <DateRangeFields from={filters.from} to={filters.to} onChange={set} />
      </form>

      {events.error ? (
        <p className="notice notice-error" role="alert">
          Could not load the audit log: {events.error.message}
        </p>
      ) : events.isPending ? (
        <div className="table-wrap" aria-busy="true" aria-label="Loading events">
          <div className="skeleton-row" />
          <div className="skeleton-row" />
        </div>
      ) : items.length === 0 ? (
        <div className="table-wrap empty">
          <strong>No events match.</strong>Widen the filters.
        </div>
      ) : (
        <div className="table-wrap">
          <table className="table" aria-label="Audit events">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Actor</th>
                <th scope="col">Action</th>
                <th scope="col">Target</th>
                <th scope="col">Outcome</th>
                <th scope="col">
                  <span className="visually-hidden">Details</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((e) => (
                <tr key={e.id}>
                  <td className="nowrap">
                    {formatDateTime(e.occurredAt)}
                    <div className="muted mono">#{e.seq}</div>
                  </td>
                  <td>
                    {e.actorLabel ?? e.actorId ?? e.actorType}
                    <div className="muted">{e.ip ?? e.actorType}</div>
                  </td>
                  <td className="mono">{e.action}</td>
                  <td>
                    {e.targetType ? <span className="muted">{e.targetType} </span> : null}
                    <span className="mono">{e.targetId ?? "—"}</span>
                  </td>
                  <td>
                    <Badge>{e.outcome}</Badge>
                  </td>
                  <td>
                    <RowButton label={`Details of ${e.action} #${e.seq}`} onClick={() => setOpenId(e.id)}>
                      {e.hasChanges ? "Changes" : "Details"}
                    </RowButton>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore query={events} label="Load older events" />

      <Dialog open={openId !== null} onClose={() => setOpenId(null)} title={detail.data ? `${detail.data.action} #${detail.data.seq}` : "Event"} wide>
        {detail.data ? (
          <>
            <p className="muted" style={{ margin: 0 }}>
              {formatDateTime(detail.data.occurredAt)} · {detail.data.actorLabel ?? detail.data.actorType} · {detail.data.ip ?? "no ip"} · {detail.data.userAgent ?? "no user agent"}
            </p>
            <DiffView before={detail.data.before} after={detail.data.after} />
            <details>
              <summary>Metadata and hashes</summary>
              <pre className="code">{JSON.stringify({ metadata: detail.data.metadata, prevHash: detail.data.prevHash, hash: detail.data.hash }, null, 2)}</pre>
            </details>
          </>
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

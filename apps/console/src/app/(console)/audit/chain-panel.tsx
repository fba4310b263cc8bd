"use client";
import { useQuery } from "@tanstack/react-query";
import { Badge } from "@/components/ui/badge";
import { formatDateTime, formatNumber } from "@/components/ui/format";
import { useTRPC } from "@/trpc/react";

/** The hash chain's head (always) and, on demand, a full re-verification. */
export function ChainPanel() {
  const trpc = useTRPC();
  const head = useQuery(trpc.audit.chainHead.queryOptions());
  const verify = useQuery({ ...trpc.audit.verify.queryOptions(), enabled: false, staleTime: 0 });
  const v = verify.data;
  return (
    <section className="card section" aria-labelledby="chain-title">
      <h2 id="chain-title" className="section-title">
        Hash chain
      </h2>
      {head.data ? (
        <p style={{ margin: "0 0 10px" }}>
          {formatNumber(head.data.events)} events; head #{head.data.headSeq ?? "—"} <span className="mono" title={head.data.headHash ?? ""}>{head.data.headHash?.slice(0, 16) ?? "—"}…</span>
          {head.data.archivedThroughSeq ? ` · archived through #${head.data.archivedThroughSeq}` : ""}
        </p>
      ) : null}
      <div className="toolbar" style={{ marginBottom: 0 }}>
        <button type="button" className="button button-secondary" onClick={() => verify.refetch()} disabled={verify.isFetching}>
          {verify.isFetching ? (
            <>
              <span className="spinner" aria-hidden="true" /> Verifying…
            </>
          ) : (
            "Verify chain"
          )}
        </button>
        <span role="status" data-testid="chain-status">
          {verify.error ? (
            <span className="field-error">Verification failed to run: {verify.error.message}</span>
          ) : v ? (
            v.ok ? (
              <>
                <Badge tone="ok">intact</Badge> {formatNumber(v.checked)} events re-hashed from the {v.startedFrom}
                {v.partial ? " (first part only)" : ""}, {formatDateTime(v.verifiedAt)}
              </>
            ) : (
              <>
                <Badge tone="error">broken</Badge> first broken link at #{v.firstBroken?.seq} ({v.firstBroken?.reason})
                {v.firstBroken?.after ? `, after #${v.firstBroken.after.seq}` : ""}
              </>
            )
          ) : (
            <span className="muted">Not verified in this view yet.</span>
          )}
        </span>
      </div>
    </section>
  );
}

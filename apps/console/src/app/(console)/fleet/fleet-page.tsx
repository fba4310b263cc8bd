"use client";
import { useQuery } from "@tanstack/react-query";
import { Badge } from "@/components/ui/badge";
import { formatDateTime, formatRelative } from "@/components/ui/format";
import { QueryState } from "@/components/ui/query-state";
import { useTRPC } from "@/trpc/react";

export function FleetPage() {
  const trpc = useTRPC();
  const status = useQuery({ ...trpc.fleet.status.queryOptions(), refetchInterval: 5000 });
  return (
    <>
      <div className="page-header">
        <div>
          <h1 className="page-title">Fleet and configuration</h1>
          <p className="page-subtitle">Which configuration version the gateways run. Refreshes every 5 seconds.</p>
        </div>
      </div>
      <QueryState query={status} rows={2}>
        {(s) => (
          <>
            <dl className="stat-grid">
              <div className="stat-card">
                <dt>Configuration version</dt>
                <dd data-testid="config-version">v{s.configVersion}</dd>
              </div>
              <div className="stat-card">
                <dt>Last change</dt>
                <dd style={{ fontSize: 18 }}>{formatRelative(s.configUpdatedAt)}</dd>
              </div>
              <div className="stat-card">
                <dt>Last signed snapshot</dt>
                <dd style={{ fontSize: 18 }}>{s.snapshot ? `v${s.snapshot.version}` : "none published"}</dd>
              </div>
              <div className="stat-card">
                <dt>Gateways</dt>
                <dd style={{ fontSize: 18 }} data-testid="fleet-summary">
                  {s.fleet ? s.fleet.summary : "no bus to read"}
                </dd>
              </div>
            </dl>
            {s.fleetError ? (
              <p className="notice notice-error" role="alert" style={{ marginTop: 16 }}>
                Could not read the gateways&apos; reports: {s.fleetError}
              </p>
            ) : null}
            <section className="section" style={{ marginTop: 24 }} aria-labelledby="nodes-title">
              <h2 id="nodes-title" className="section-title">
                Nodes
              </h2>
              {!s.fleet || s.fleet.nodes.length === 0 ? (
                <div className="table-wrap empty">
                  <strong>No gateway has reported.</strong>Gateways report their version and circuit breakers on the bus every few seconds; a node that stops reporting drops out after three missed reports.
                </div>
              ) : (
                <div className="table-wrap">
                  <table className="table" aria-label="Gateway nodes">
                    <thead>
                      <tr>
                        <th scope="col">Node</th>
                        <th scope="col">Version</th>
                        <th scope="col">Source</th>
                        <th scope="col">Applied</th>
                        <th scope="col">Circuits</th>
                        <th scope="col">Reported</th>
                      </tr>
                    </thead>
                    <tbody>
                      {s.fleet.nodes.map((n) => {
                        const behind = s.fleet!.lagging.some((l) => l.node === n.node);
                        return (
                          <tr key={n.node}>
                            <td className="mono">{n.node}</td>
                            <td>
                              v{n.version ?? "—"} <Badge tone={behind ? "expired" : "ok"}>{behind ? "behind" : "current"}</Badge>
                            </td>
                            <td>{n.source ?? "—"}</td>
                            <td>{formatDateTime(n.appliedAt)}</td>
                            <td>
                              {n.circuits ? (
                                n.circuits.open + n.circuits.halfOpen > 0 ? (
                                  <Badge tone="expired">{`${n.circuits.open} open, ${n.circuits.halfOpen} half-open`}</Badge>
                                ) : (
                                  `${n.circuits.tracked} closed`
                                )
                              ) : (
                                "—"
                              )}
                            </td>
                            <td>{formatRelative(n.reportedAt)}</td>
                          </tr>
                        );
                      })}
                    </tbody>
                  </table>
                </div>
              )}
            </section>
            {s.fleet && s.fleet.openCircuits.length > 0 ? (
              <section className="section" style={{ marginTop: 24 }} aria-labelledby="circuits-title">
                <h2 id="circuits-title" className="section-title">
                  Circuits not closed
                </h2>
                <div className="table-wrap">
                  <table className="table" aria-label="Circuits not closed">
                    <thead>
                      <tr>
                        <th scope="col">Node</th>
                        <th scope="col">Target</th>
                        <th scope="col">State</th>
                        <th scope="col">Last error</th>
                      </tr>
                    </thead>
                    <tbody>
                      {s.fleet.openCircuits.map((c) => (
                        <tr key={`${c.node} ${c.target}`}>
                          <td className="mono">{c.node}</td>
                          <td className="mono">{c.target}</td>
                          <td>
                            <Badge tone="expired">{c.state}</Badge>
                          </td>
                          <td>{c.lastError ?? "—"}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </section>
            ) : null}
          </>
        )}
      </QueryState>
    </>
  );
}

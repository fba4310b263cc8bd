"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Dialog } from "@/components/ui/dialog";
import { formatDateTime, formatNumber, formatRelative, formatUsd } from "@/components/ui/format";
import { formErrorOf } from "@/components/ui/form-errors";
import { QueryState } from "@/components/ui/query-state";
import { EditDeleteActions } from "@/components/ui/row-actions";
import { useViewer } from "@/components/viewer-context";
import { useTRPC } from "@/trpc/react";
import type { RouterOutputs } from "@/trpc/types";
import { BudgetForm } from "./budget-form";
import { RateLimitForm } from "./rate-limit-form";
import { scopeLabel } from "./scope-picker";

type Budget = RouterOutputs["budgets"]["list"][number];
type Limit = RouterOutputs["rateLimits"]["list"][number];
type Open = { kind: "budget"; item?: Budget } | { kind: "limit"; item?: Limit } | { kind: "delete-budget"; item: Budget } | { kind: "delete-limit"; item: Limit } | null;

/** The team a scoped row belongs to, for showing edit buttons to team-scoped roles (the server decides). */
function canEditScope(viewer: ReturnType<typeof useViewer>, row: { scopeType: string; scopeId: string }): boolean {
  return viewer.can("budget.update") || (row.scopeType === "team" && viewer.can("budget.update", row.scopeId));
}

function Usage({ b }: { b: Budget }) {
  const pct = Math.min(100, b.usedPct);
  const tone = b.usedPct >= 100 ? "over" : b.usedPct >= b.softThresholdPct ? "warn" : "";
  return (
    <div>
      <div>
        {formatUsd(b.spentUsd)} of {formatUsd(b.limitUsd)} <span className="muted">({b.usedPct}%)</span>
      </div>
      <div className={`meter ${tone}`} role="meter" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} aria-label={`${b.usedPct}% of the budget used`}>
        <span style={{ width: `${pct}%` }} />
      </div>
      <div className="muted" style={{ fontSize: 12 }}>
        {b.spendAsOf ? `as of ${formatRelative(b.spendAsOf)}` : "no spend recorded this period"}
      </div>
    </div>
  );
}

export function BudgetsPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const viewer = useViewer();
  const budgets = useQuery(trpc.budgets.list.queryOptions({}));
  const limits = useQuery(trpc.rateLimits.list.queryOptions());
  const canCreate = viewer.canSomewhere("budget.update");
  const scopeOptions = useQuery({ ...trpc.budgets.scopeOptions.queryOptions(), enabled: canCreate });
  const [open, setOpen] = useState<Open>(null);
  const refresh = () => Promise.all([queryClient.invalidateQueries({ queryKey: trpc.budgets.pathKey() }), queryClient.invalidateQueries({ queryKey: trpc.rateLimits.pathKey() })]);
  const done = () => (void refresh(), setOpen(null));
  const createBudget = useMutation(trpc.budgets.create.mutationOptions({ onSuccess: done }));
  const updateBudget = useMutation(trpc.budgets.update.mutationOptions({ onSuccess: done }));
  const deleteBudget = useMutation(trpc.budgets.delete.mutationOptions({ onSuccess: done }));
  const createLimit = useMutation(trpc.rateLimits.create.mutationOptions({ onSuccess: done }));
  const updateLimit = useMutation(trpc.rateLimits.update.mutationOptions({ onSuccess: done }));
  const deleteLimit = useMutation(trpc.rateLimits.delete.mutationOptions({ onSuccess: done }));
  const close = () => {
    setOpen(null);
    for (const m of [createBudget, updateBudget, deleteBudget, createLimit, updateLimit, deleteLimit]) m.reset();
  };

  return (
    <>
      <div className="page-header">
        <div>
          <h1 className="page-title">Budgets and rate limits</h1>
          <p className="page-subtitle">Spend caps and request rates per customer, team, key, provider key or tenant. A request must fit every level.</p>
        </div>
        {canCreate ? (
          <div className="page-actions">
            <button type="button" className="button button-primary" onClick={() => setOpen({ kind: "budget" })} disabled={!scopeOptions.data}>
              Add budget
            </button>
            <button type="button" className="button button-secondary" onClick={() => setOpen({ kind: "limit" })} disabled={!scopeOptions.data}>
              Add rate limit
            </button>
          </div>
        ) : null}
      </div>

      <section className="section" aria-labelledby="budgets-title">
        <h2 id="budgets-title" className="section-title">
          Budgets
        </h2>
        <QueryState query={budgets} isEmpty={(d) => d.length === 0} empty={<><strong>No budgets.</strong>Without one, spend is not capped at that level.</>}>
          {(data) => (
            <div className="table-wrap">
              <table className="table" aria-label="Budgets">
                <thead>
                  <tr>
                    <th scope="col">Applies to</th>
                    <th scope="col">Period</th>
                    <th scope="col">Current period</th>
                    <th scope="col">Next reset</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.map((b) => (
                    <tr key={b.id} data-testid={`budget-row-${b.scopeLabel}`}>
                      <td>
                        <strong>{b.scopeLabel}</strong>
                        <div className="muted">
                          {scopeLabel(b.scopeType)} {b.enabled ? null : <Badge tone="disabled">not enforced</Badge>}
                        </div>
                      </td>
                      <td>
                        {b.period}
                        <div className="muted">{b.timeZone}</div>
                      </td>
                      <td>
                        <Usage b={b} />
                      </td>
                      <td className="nowrap">{b.nextReset ? <time dateTime={b.nextReset}>{formatDateTime(b.nextReset)}</time> : "never (lifetime)"}</td>
                      <td>
                        {canEditScope(viewer, b) ? (
                          <EditDeleteActions editLabel={`Edit budget of ${b.scopeLabel}`} deleteLabel={`Delete budget of ${b.scopeLabel}`} onEdit={() => setOpen({ kind: "budget", item: b })} onDelete={() => setOpen({ kind: "delete-budget", item: b })} />
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </QueryState>
        <p className="muted stat-footnote">Spend is what the worker last flushed from the gateways&apos; counters; the gateways enforce the live figure.</p>
      </section>

      <section className="section" aria-labelledby="limits-title">
        <h2 id="limits-title" className="section-title">
          Rate limits
        </h2>
        <QueryState query={limits} isEmpty={(d) => d.length === 0} empty={<><strong>No rate limits.</strong>Requests are then limited only by budgets and providers.</>}>
          {(data) => (
            <div className="table-wrap">
              <table className="table" aria-label="Rate limits">
                <thead>
                  <tr>
                    <th scope="col">Applies to</th>
                    <th scope="col" className="num">Requests</th>
                    <th scope="col" className="num">Tokens</th>
                    <th scope="col">Window</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.map((r) => (
                    <tr key={r.id}>
                      <td>
                        <strong>{r.scopeLabel}</strong>
                        <div className="muted">{scopeLabel(r.scopeType)}</div>
                      </td>
                      <td className="num">{r.rpm === null ? "—" : formatNumber(r.rpm)}</td>
                      <td className="num">{r.tpm === null ? "—" : formatNumber(r.tpm)}</td>
                      <td>{r.windowSeconds === 60 ? "per minute" : `${r.windowSeconds} s`} (sliding)</td>
                      <td>
                        {canEditScope(viewer, r) ? (
                          <EditDeleteActions editLabel={`Edit rate limit of ${r.scopeLabel}`} deleteLabel={`Delete rate limit of ${r.scopeLabel}`} onEdit={() => setOpen({ kind: "limit", item: r })} onDelete={() => setOpen({ kind: "delete-limit", item: r })} />
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </QueryState>
      </section>

      <Dialog open={open?.kind === "budget"} onClose={close} title={open?.kind === "budget" && open.item ? "Edit budget" : "Add a budget"} wide>
        {open?.kind === "budget" ? (
          <BudgetForm
            initial={open.item}
            scopeOptions={scopeOptions.data}
            pending={createBudget.isPending || updateBudget.isPending}
            error={open.item ? updateBudget.error : createBudget.error}
            onCancel={close}
            onSubmit={(v) => {
              if (open.item) {
                const { scopeType: _t, scopeId: _i, ...rest } = v;
                updateBudget.mutate({ id: open.item.id, ...rest });
              } else createBudget.mutate({ ...v, scopeType: v.scopeType!, scopeId: v.scopeId! });
            }}
          />
        ) : null}
      </Dialog>

      <Dialog open={open?.kind === "limit"} onClose={close} title={open?.kind === "limit" && open.item ? "Edit rate limit" : "Add a rate limit"}>
        {open?.kind === "limit" ? (
          <RateLimitForm
            initial={open.item}
            scopeOptions={scopeOptions.data}
            pending={createLimit.isPending || updateLimit.isPending}
            error={open.item ? updateLimit.error : createLimit.error}
            onCancel={close}
            onSubmit={(v) => {
              if (open.item) updateLimit.mutate({ id: open.item.id, rpm: v.rpm, tpm: v.tpm, enabled: v.enabled });
              else createLimit.mutate({ ...v, scopeType: v.scopeType!, scopeId: v.scopeId! });
            }}
          />
        ) : null}
      </Dialog>

      <ConfirmDialog
        open={open?.kind === "delete-budget" || open?.kind === "delete-limit"}
        title={open?.kind === "delete-limit" ? "Delete this rate limit?" : "Delete this budget?"}
        confirmLabel="Delete"
        pending={deleteBudget.isPending || deleteLimit.isPending}
        error={formErrorOf(deleteBudget.error ?? deleteLimit.error)}
        onCancel={close}
        onConfirm={() => {
          if (open?.kind === "delete-budget") deleteBudget.mutate({ id: open.item.id });
          if (open?.kind === "delete-limit") deleteLimit.mutate({ id: open.item.id });
        }}
      >
        {open && "item" in open && open.item ? `${open.item.scopeLabel} will no longer be capped at this level.` : null}
      </ConfirmDialog>
    </>
  );
}

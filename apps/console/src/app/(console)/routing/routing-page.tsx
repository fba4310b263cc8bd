"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Dialog } from "@/components/ui/dialog";
import { formErrorOf } from "@/components/ui/form-errors";
import { QueryState } from "@/components/ui/query-state";
import { EditDeleteActions } from "@/components/ui/row-actions";
import { useViewer } from "@/components/viewer-context";
import { useTRPC } from "@/trpc/react";
import type { RouterOutputs } from "@/trpc/types";
import { RuleForm } from "./rule-form";

type Rule = RouterOutputs["routing"]["list"]["rules"][number];

function describeTargets(targets: unknown[]): string {
  return targets
    .map((t) => {
      const x = t as { provider?: string; model?: string; key?: string; mode?: string; targets?: unknown[] };
      return x.mode ? `${x.mode}(${x.targets?.length ?? 0})` : `${x.provider}${x.key ? `/${x.key}` : ""}: ${x.model}`;
    })
    .join(" → ");
}

export function RoutingPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const viewer = useViewer();
  const canEdit = viewer.can("routing.update");
  const rules = useQuery(trpc.routing.list.queryOptions());
  const [editing, setEditing] = useState<Rule | "new" | null>(null);
  const [deleting, setDeleting] = useState<Rule | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.routing.pathKey() });
  const save = useMutation(trpc.routing.save.mutationOptions({ onSuccess: () => (void refresh(), setEditing(null)) }));
  const remove = useMutation(trpc.routing.delete.mutationOptions({ onSuccess: () => (void refresh(), setDeleting(null)) }));

  return (
    <>
      <div className="page-header">
        <div>
          <h1 className="page-title">Routing</h1>
          <p className="page-subtitle">Rules send matching requests to chosen targets with fallbacks and retries. Without a matching rule, any provider key serving the model is used.</p>
        </div>
        {canEdit ? (
          <div className="page-actions">
            <button type="button" className="button button-primary" onClick={() => setEditing("new")} disabled={!rules.data}>
              Add rule
            </button>
          </div>
        ) : null}
      </div>
      <QueryState query={rules} isEmpty={(d) => d.rules.length === 0} empty={<><strong>No routing rules.</strong>Requests go to any provider key that serves the model, by weight.</>}>
        {(data) => (
          <div className="table-wrap">
            <table className="table" aria-label="Routing rules">
              <thead>
                <tr>
                  <th scope="col" className="num">Priority</th>
                  <th scope="col">Rule</th>
                  <th scope="col">Match</th>
                  <th scope="col">Strategy</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.rules.map((r) => (
                  <tr key={r.id}>
                    <td className="num">{r.priority}</td>
                    <td>
                      <strong>{r.name}</strong> {r.enabled ? null : <Badge tone="disabled">disabled</Badge>} {r.valid ? null : <Badge tone="error">invalid</Badge>}
                      {r.description ? <div className="muted">{r.description}</div> : null}
                    </td>
                    <td className="mono">{Object.keys(r.match).length ? JSON.stringify(r.match) : "every request"}</td>
                    <td>
                      {r.mode}
                      <div className="muted mono">{describeTargets(r.targets)}</div>
                    </td>
                    <td>
                      {canEdit ? (
                        <EditDeleteActions editLabel={`Edit ${r.name}`} deleteLabel={`Delete ${r.name}`} onEdit={() => setEditing(r)} onDelete={() => setDeleting(r)} />
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </QueryState>

      <Dialog open={editing !== null} onClose={() => (setEditing(null), save.reset())} title={editing === "new" ? "Add a routing rule" : "Edit routing rule"} wide>
        {rules.data ? (
          <RuleForm
            initial={editing && editing !== "new" ? editing : undefined}
            modes={rules.data.modes}
            pending={save.isPending}
            error={save.error}
            onCancel={() => (setEditing(null), save.reset())}
            onSubmit={(v) => save.mutate({ ...v, id: editing && editing !== "new" ? editing.id : undefined })}
          />
        ) : null}
      </Dialog>

      <ConfirmDialog
        open={deleting !== null}
        title={`Delete rule ${deleting?.name ?? ""}?`}
        confirmLabel="Delete rule"
        pending={remove.isPending}
        error={remove.error ? formErrorOf(remove.error) : null}
        onCancel={() => (setDeleting(null), remove.reset())}
        onConfirm={() => deleting && remove.mutate({ id: deleting.id })}
      >
        Requests it matched fall through to the next rule, or to default routing.
      </ConfirmDialog>
    </>
  );
}

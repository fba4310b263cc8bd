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
import { GuardrailForm, kindLabel, scopeTypeLabel } from "./guardrail-form";

type Policy = RouterOutputs["guardrails"]["list"]["policies"][number];

/** One line on what the check looks for. */
function describeConfig(p: Policy): string {
  const c = p.config;
  switch (p.kind) {
    case "pii":
      return ((c.entities as string[] | undefined) ?? []).join(", ").replace(/_/g, " ");
    case "regex":
      return `${(c.patterns as string[] | undefined)?.length ?? 0} pattern(s)`;
    case "keywords":
      return `${(c.keywords as string[] | undefined)?.length ?? 0} keyword(s)`;
    case "prompt-injection":
      return `sensitivity ${String(c.sensitivity)}`;
    case "webhook":
      return `${String(c.url)} (${String(c.timeoutMs)} ms)`;
    default:
      return "";
  }
}

/** The team a policy belongs to for permission checks in the browser (the server decides). */
const teamOf = (p: Policy) => (p.scopeType === "team" ? p.scopeId : undefined);

export function GuardrailsPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const viewer = useViewer();
  const canEditSomewhere = viewer.canSomewhere("guardrail.update");
  const policies = useQuery(trpc.guardrails.list.queryOptions());
  const scopeOptions = useQuery({ ...trpc.guardrails.scopeOptions.queryOptions(), enabled: canEditSomewhere });
  const [editing, setEditing] = useState<Policy | "new" | null>(null);
  const [deleting, setDeleting] = useState<Policy | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.guardrails.pathKey() });
  const create = useMutation(trpc.guardrails.create.mutationOptions({ onSuccess: () => (void refresh(), setEditing(null)) }));
  const update = useMutation(trpc.guardrails.update.mutationOptions({ onSuccess: () => (void refresh(), setEditing(null)) }));
  const close = () => (setEditing(null), create.reset(), update.reset());
  const remove = useMutation(trpc.guardrails.delete.mutationOptions({ onSuccess: () => (void refresh(), setDeleting(null)) }));
  const save = editing && editing !== "new" ? update : create;
  // Keys are not in the browser's reach map by team; a key-scoped row is editable with a grant somewhere (the server checks its team).
  const canEdit = (p: Policy) => (p.scopeType === "virtual_key" ? canEditSomewhere : viewer.can("guardrail.update", teamOf(p)));

  return (
    <>
      <div className="page-header">
        <div>
          <h1 className="page-title">Guardrails</h1>
          <p className="page-subtitle">Checks on prompts and answers: personal data, patterns, keywords, prompt injection or your own webhook. Each policy applies everywhere or to one customer, team, key, provider key or tenant.</p>
        </div>
        {canEditSomewhere ? (
          <div className="page-actions">
            <button type="button" className="button button-primary" onClick={() => setEditing("new")} disabled={!policies.data || !scopeOptions.data}>
              Add policy
            </button>
          </div>
        ) : null}
      </div>
      <QueryState
        query={policies}
        isEmpty={(d) => d.policies.length === 0}
        empty={
          <>
            <strong>No guardrail policies.</strong>Requests reach the models unchecked.{canEditSomewhere ? " Add a policy to detect personal data, secrets or prompt injection." : ""}
          </>
        }
      >
        {(data) => (
          <div className="table-wrap">
            <table className="table" aria-label="Guardrail policies">
              <thead>
                <tr>
                  <th scope="col" className="num">Priority</th>
                  <th scope="col">Policy</th>
                  <th scope="col">Check</th>
                  <th scope="col">Mode</th>
                  <th scope="col">Applies to</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.policies.map((p) => (
                  <tr key={p.id}>
                    <td className="num">{p.priority}</td>
                    <td>
                      <strong>{p.name}</strong> {p.enabled ? null : <Badge tone="disabled">disabled</Badge>}
                    </td>
                    <td>
                      {kindLabel(p.kind)}
                      <div className="muted mono">{describeConfig(p)}</div>
                    </td>
                    <td>
                      {p.mode} on {p.stage}
                      <div className="muted">fails {p.failOpen ? "open" : "closed"}</div>
                    </td>
                    <td>
                      {p.scopeType === "global" ? "Everything" : `${scopeTypeLabel(p.scopeType)}: ${p.scopeLabel}`}
                    </td>
                    <td>
                      {canEdit(p) ? (
                        <EditDeleteActions editLabel={`Edit ${p.name}`} deleteLabel={`Delete ${p.name}`} onEdit={() => setEditing(p)} onDelete={() => setDeleting(p)} editDisabled={!scopeOptions.data} />
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </QueryState>

      <Dialog open={editing !== null} onClose={close} title={editing === "new" ? "Add a guardrail policy" : "Edit guardrail policy"} wide>
        {policies.data && editing ? (
          <GuardrailForm
            key={editing === "new" ? "new" : editing.id}
            initial={editing === "new" ? undefined : editing}
            kinds={policies.data.kinds}
            piiEntityTypes={policies.data.piiEntityTypes}
            scopeOptions={scopeOptions.data}
            pending={save.isPending}
            error={save.error}
            onCancel={close}
            onSubmit={(v) => (editing === "new" ? create.mutate(v) : update.mutate({ ...v, id: editing.id }))}
          />
        ) : null}
      </Dialog>

      <ConfirmDialog
        open={deleting !== null}
        title={`Delete guardrail policy ${deleting?.name ?? ""}?`}
        confirmLabel="Delete policy"
        pending={remove.isPending}
        error={remove.error ? formErrorOf(remove.error) : null}
        onCancel={() => (setDeleting(null), remove.reset())}
        onConfirm={() => deleting && remove.mutate({ id: deleting.id })}
      >
        Requests it checked are no longer checked by it once the gateways receive the change.
      </ConfirmDialog>
    </>
  );
}

"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { FormActions } from "@/components/ui/form-actions";
import { FormError } from "@/components/ui/form-error";
import { fieldErrorsOf, formErrorOf } from "@/components/ui/form-errors";
import { QueryState } from "@/components/ui/query-state";
import { EditDeleteActions } from "@/components/ui/row-actions";
import { useViewer } from "@/components/viewer-context";
import { useTRPC } from "@/trpc/react";
import type { RouterOutputs } from "@/trpc/types";

type Customer = RouterOutputs["customers"]["list"][number];

export function CustomersPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const viewer = useViewer();
  const customers = useQuery(trpc.customers.list.queryOptions());
  const [editing, setEditing] = useState<Customer | "new" | null>(null);
  const [deleting, setDeleting] = useState<Customer | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.customers.pathKey() });
  const done = () => (void refresh(), setEditing(null));
  const create = useMutation(trpc.customers.create.mutationOptions({ onSuccess: done }));
  const update = useMutation(trpc.customers.update.mutationOptions({ onSuccess: done }));
  const remove = useMutation(trpc.customers.delete.mutationOptions({ onSuccess: () => (void refresh(), setDeleting(null)) }));
  const active = editing === "new" ? create : update;
  const errors = fieldErrorsOf(active.error);
  const canEdit = viewer.can("customer.update");

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const input = { name: String(f.get("name")), externalId: String(f.get("externalId") ?? "") };
    if (editing === "new") create.mutate(input);
    else if (editing) update.mutate({ id: editing.id, ...input });
  }

  return (
    <>
      <div className="page-header">
        <div>
          <h1 className="page-title">Customers</h1>
          <p className="page-subtitle">The organisations you serve: teams and keys are attributed to them, and budgets can cap them.</p>
        </div>
        {canEdit ? (
          <div className="page-actions">
            <button type="button" className="button button-primary" onClick={() => setEditing("new")}>
              Add customer
            </button>
          </div>
        ) : null}
      </div>
      <QueryState query={customers} isEmpty={(d) => d.length === 0} empty={<><strong>No customers.</strong>Add one to attribute spend to it.</>}>
        {(data) => (
          <div className="table-wrap">
            <table className="table" aria-label="Customers">
              <thead>
                <tr>
                  <th scope="col">Customer</th>
                  <th scope="col">External id</th>
                  <th scope="col" className="num">Teams</th>
                  <th scope="col" className="num">Keys</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.map((c) => (
                  <tr key={c.id}>
                    <td>
                      <strong>{c.name}</strong>
                    </td>
                    <td className="mono">{c.externalId ?? "—"}</td>
                    <td className="num">{c.teams}</td>
                    <td className="num">{c.virtualKeys}</td>
                    <td>
                      {canEdit ? (
                        <EditDeleteActions editLabel={`Edit ${c.name}`} deleteLabel={`Delete ${c.name}`} onEdit={() => setEditing(c)} onDelete={c.teams + c.virtualKeys === 0 ? () => setDeleting(c) : undefined} />
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </QueryState>

      <Dialog open={editing !== null} onClose={() => (setEditing(null), create.reset(), update.reset())} title={editing === "new" ? "Add a customer" : "Edit customer"}>
        <form className="form" onSubmit={submit} noValidate>
          <FormError error={active.error} />
          <Field label="Name" error={errors.name}>
            <input name="name" required defaultValue={editing && editing !== "new" ? editing.name : ""} />
          </Field>
          <Field label="External id" error={errors.externalId} hint="The customer's id in your billing or CRM system (optional).">
            <input name="externalId" defaultValue={editing && editing !== "new" ? (editing.externalId ?? "") : ""} />
          </Field>
          <FormActions onCancel={() => setEditing(null)} pending={active.isPending}>
            Save
          </FormActions>
        </form>
      </Dialog>

      <ConfirmDialog
        open={deleting !== null}
        title={`Delete ${deleting?.name ?? "customer"}?`}
        confirmLabel="Delete customer"
        pending={remove.isPending}
        error={remove.error ? formErrorOf(remove.error) : null}
        onCancel={() => (setDeleting(null), remove.reset())}
        onConfirm={() => deleting && remove.mutate({ id: deleting.id })}
      >
        Its budgets and rate limits are deleted too.
      </ConfirmDialog>
    </>
  );
}

"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Badge } from "@/components/ui/badge";
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

type Role = RouterOutputs["settings"]["roles"]["list"]["roles"][number];

export function RolesPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const viewer = useViewer();
  const canEdit = viewer.can("role.update");
  const roles = useQuery(trpc.settings.roles.list.queryOptions());
  const [editing, setEditing] = useState<Role | "new" | null>(null);
  const [deleting, setDeleting] = useState<Role | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.settings.roles.pathKey() });
  const create = useMutation(trpc.settings.roles.create.mutationOptions({ onSuccess: () => (void refresh(), setEditing(null)) }));
  const update = useMutation(trpc.settings.roles.update.mutationOptions({ onSuccess: () => (void refresh(), setEditing(null)) }));
  const remove = useMutation(trpc.settings.roles.delete.mutationOptions({ onSuccess: () => (void refresh(), setDeleting(null)) }));
  const active = editing === "new" ? create : update;
  const errors = fieldErrorsOf(active.error);

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const input = { name: String(f.get("name") ?? ""), description: String(f.get("description") ?? ""), permissions: f.getAll("permissions").map(String) };
    if (editing === "new") create.mutate(input);
    else if (editing) update.mutate({ id: editing.id, ...input });
  }

  return (
    <>
      {canEdit ? (
        <div className="toolbar">
          <button type="button" className="button button-primary" onClick={() => setEditing("new")}>
            Create custom role
          </button>
        </div>
      ) : null}
      <QueryState query={roles}>
        {(data) => (
          <div className="table-wrap">
            <table className="table" aria-label="Roles">
              <thead>
                <tr>
                  <th scope="col">Role</th>
                  <th scope="col">Permissions</th>
                  <th scope="col" className="num">Granted</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.roles.map((r) => (
                  <tr key={r.id}>
                    <td>
                      <strong>{r.name}</strong> {r.builtIn ? <Badge tone="info">built-in</Badge> : null}
                      {r.description ? <div className="muted">{r.description}</div> : null}
                    </td>
                    <td className="mono" style={{ fontSize: 12 }}>
                      {r.permissions.join(", ")}
                    </td>
                    <td className="num">
                      {r.bindings} / {r.mappings} map.
                    </td>
                    <td>
                      {canEdit && !r.builtIn ? (
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

      <Dialog open={editing !== null} onClose={() => (setEditing(null), create.reset(), update.reset())} title={editing === "new" ? "Create a custom role" : "Edit role"} wide>
        {roles.data ? (
          <form className="form" onSubmit={submit} noValidate>
            <FormError error={active.error} />
            <div className="form-grid">
              <Field label="Name" error={errors.name}>
                <input name="name" required defaultValue={editing && editing !== "new" ? editing.name : ""} />
              </Field>
              <Field label="Description" error={errors.description}>
                <input name="description" defaultValue={editing && editing !== "new" ? (editing.description ?? "") : ""} />
              </Field>
            </div>
            {errors.permissions ? <p className="field-error">{errors.permissions}</p> : null}
            <div className="grid-3">
              {Object.entries(roles.data.catalog).map(([resource, actions]) => (
                <fieldset key={resource} className="checkbox-group" style={{ flexDirection: "column" }}>
                  <legend className="mono">{resource}</legend>
                  {actions.map((a) => {
                    const p = `${resource}.${a}`;
                    return (
                      <label key={p} className="checkbox">
                        <input type="checkbox" name="permissions" value={p} defaultChecked={editing && editing !== "new" ? editing.permissions.includes(p as never) : false} /> {a}
                      </label>
                    );
                  })}
                </fieldset>
              ))}
            </div>
            <FormActions onCancel={() => setEditing(null)} pending={active.isPending}>
              Save role
            </FormActions>
          </form>
        ) : null}
      </Dialog>

      <ConfirmDialog
        open={deleting !== null}
        title={`Delete role ${deleting?.name ?? ""}?`}
        confirmLabel="Delete role"
        pending={remove.isPending}
        error={remove.error ? formErrorOf(remove.error) : null}
        onCancel={() => (setDeleting(null), remove.reset())}
        onConfirm={() => deleting && remove.mutate({ id: deleting.id })}
      >
        Only a role nobody holds can be deleted.
      </ConfirmDialog>
    </>
  );
}

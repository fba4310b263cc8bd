"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { FormActions } from "@/components/ui/form-actions";
import { FormError } from "@/components/ui/form-error";
import { fieldErrorsOf, formErrorOf } from "@/components/ui/form-errors";
import { QueryState } from "@/components/ui/query-state";
import { RowActions, RowButton } from "@/components/ui/row-actions";
import { useViewer } from "@/components/viewer-context";
import { useTRPC } from "@/trpc/react";
import type { RouterOutputs } from "@/trpc/types";

type Team = RouterOutputs["teams"]["list"][number];

export function TeamsPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const viewer = useViewer();
  const teams = useQuery(trpc.teams.list.queryOptions());
  const customers = useQuery({ ...trpc.customers.list.queryOptions(), enabled: viewer.can("customer.read") });
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<Team | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.teams.pathKey() });
  const create = useMutation(trpc.teams.create.mutationOptions({ onSuccess: () => (void refresh(), setCreating(false)) }));
  const remove = useMutation(trpc.teams.delete.mutationOptions({ onSuccess: () => (void refresh(), setDeleting(null)) }));
  const errors = fieldErrorsOf(create.error);

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    create.mutate({ name: String(f.get("name")), slug: String(f.get("slug")), description: String(f.get("description") || "") || undefined, customerId: String(f.get("customerId") || "") || null });
  }

  return (
    <>
      <div className="page-header">
        <div>
          <h1 className="page-title">Teams</h1>
          <p className="page-subtitle">Teams own virtual keys, budgets and members.</p>
        </div>
        {viewer.can("team.update") ? (
          <div className="page-actions">
            <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
              Create team
            </button>
          </div>
        ) : null}
      </div>
      <QueryState query={teams} isEmpty={(d) => d.length === 0} empty={<><strong>No teams yet.</strong>Create one, then map an IdP group to it in Settings.</>}>
        {(data) => (
          <div className="table-wrap">
            <table className="table" aria-label="Teams">
              <thead>
                <tr>
                  <th scope="col">Team</th>
                  <th scope="col">Customer</th>
                  <th scope="col" className="num">Members</th>
                  <th scope="col" className="num">Virtual keys</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.map((t) => (
                  <tr key={t.id}>
                    <td>
                      <Link href={`/teams/${t.id}`}>
                        <strong>{t.name}</strong>
                      </Link>
                      <div className="mono muted">{t.slug}</div>
                    </td>
                    <td>{t.customerName ?? <span className="muted">—</span>}</td>
                    <td className="num">{t.members}</td>
                    <td className="num">{t.virtualKeys}</td>
                    <td>
                      <RowActions>
                        {viewer.can("team.update") && t.virtualKeys === 0 ? (
                          <RowButton label={`Delete ${t.name}`} onClick={() => setDeleting(t)}>
                            Delete
                          </RowButton>
                        ) : null}
                      </RowActions>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </QueryState>

      <Dialog open={creating} onClose={() => (setCreating(false), create.reset())} title="Create a team">
        <form className="form" onSubmit={submit} noValidate>
          <FormError error={create.error} />
          <Field label="Name" error={errors.name}>
            <input name="name" required autoComplete="off" />
          </Field>
          <Field label="Slug" error={errors.slug} hint="Shown in limits and logs, e.g. payments-eu.">
            <input name="slug" required autoComplete="off" pattern="[a-z0-9-]+" />
          </Field>
          <Field label="Customer" error={errors.customerId}>
            <select name="customerId" defaultValue="">
              <option value="">None</option>
              {(customers.data ?? []).map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Description" error={errors.description}>
            <input name="description" />
          </Field>
          <FormActions onCancel={() => (setCreating(false), create.reset())} pending={create.isPending}>
            Create team
          </FormActions>
        </form>
      </Dialog>

      <ConfirmDialog
        open={deleting !== null}
        title={`Delete ${deleting?.name ?? "team"}?`}
        confirmLabel="Delete team"
        pending={remove.isPending}
        error={remove.error ? formErrorOf(remove.error) : null}
        onCancel={() => (setDeleting(null), remove.reset())}
        onConfirm={() => deleting && remove.mutate({ id: deleting.id })}
      >
        Its memberships, role grants, group mappings, budgets and rate limits are deleted with it.
      </ConfirmDialog>
    </>
  );
}

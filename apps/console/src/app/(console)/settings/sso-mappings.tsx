"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { fieldErrorsOf, formErrorOf } from "@/components/ui/form-errors";
import { QueryState } from "@/components/ui/query-state";
import { RowActions, RowButton } from "@/components/ui/row-actions";
import { useViewer } from "@/components/viewer-context";
import { useTRPC } from "@/trpc/react";
import type { RouterOutputs } from "@/trpc/types";

type Mapping = RouterOutputs["settings"]["idpMappings"]["list"][number];

export function SsoMappings() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const viewer = useViewer();
  const canEdit = viewer.can("sso.update");
  const mappings = useQuery(trpc.settings.idpMappings.list.queryOptions());
  const roles = useQuery({ ...trpc.settings.roles.list.queryOptions(), enabled: canEdit });
  const teams = useQuery({ ...trpc.teams.list.queryOptions(), enabled: canEdit });
  const [deleting, setDeleting] = useState<Mapping | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.settings.idpMappings.pathKey() });
  const create = useMutation(trpc.settings.idpMappings.create.mutationOptions({ onSuccess: () => void refresh() }));
  const remove = useMutation(trpc.settings.idpMappings.delete.mutationOptions({ onSuccess: () => (void refresh(), setDeleting(null)) }));
  const errors = fieldErrorsOf(create.error);

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    create.mutate(
      { groupName: String(f.get("groupName") ?? ""), roleId: String(f.get("roleId")), teamId: String(f.get("teamId") || "") || null },
      { onSuccess: () => form.reset() },
    );
  }

  return (
    <>
      <p className="muted">
        At every SSO sign-in, the groups in the identity provider&apos;s token become role grants: one per matching row below, organisation-wide or inside a team (whose member the user then becomes). Grants of groups a user left are removed. A user whose groups match nothing cannot sign in.
      </p>
      {canEdit ? (
        <form className="card form section" onSubmit={submit} noValidate aria-label="Add a group mapping">
          <FormError error={create.error} />
          <div className="grid-3">
            <Field label="IdP group" error={errors.groupName} hint="Exactly as the groups claim carries it (Entra: the group's object id).">
              <input name="groupName" required autoComplete="off" />
            </Field>
            <Field label="Role" error={errors.roleId}>
              <select name="roleId">
                {(roles.data?.roles ?? []).map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.name}
                  </option>
                ))}
              </select>
            </Field>
            <Field label="Scope" error={errors.teamId}>
              <select name="teamId" defaultValue="">
                <option value="">Organisation-wide</option>
                {(teams.data ?? []).map((t) => (
                  <option key={t.id} value={t.id}>
                    Team {t.name}
                  </option>
                ))}
              </select>
            </Field>
          </div>
          <div className="form-actions">
            <button type="submit" className="button button-primary" disabled={create.isPending || !roles.data}>
              Add mapping
            </button>
          </div>
        </form>
      ) : null}
      <QueryState query={mappings} isEmpty={(d) => d.length === 0} empty={<><strong>No group mappings.</strong>Until one exists, nobody can sign in through SSO.</>}>
        {(data) => (
          <div className="table-wrap">
            <table className="table" aria-label="Group mappings">
              <thead>
                <tr>
                  <th scope="col">IdP group</th>
                  <th scope="col">Role</th>
                  <th scope="col">Scope</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.map((m) => (
                  <tr key={m.id}>
                    <td className="mono">{m.groupName}</td>
                    <td>{m.roleName}</td>
                    <td>{m.teamName ? `Team ${m.teamName}` : "Organisation-wide"}</td>
                    <td>
                      {canEdit ? (
                        <RowActions>
                          <RowButton label={`Delete mapping of ${m.groupName}`} onClick={() => setDeleting(m)}>
                            Delete
                          </RowButton>
                        </RowActions>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </QueryState>
      <ConfirmDialog
        open={deleting !== null}
        title={`Stop mapping ${deleting?.groupName ?? ""}?`}
        confirmLabel="Delete mapping"
        pending={remove.isPending}
        error={remove.error ? formErrorOf(remove.error) : null}
        onCancel={() => (setDeleting(null), remove.reset())}
        onConfirm={() => deleting && remove.mutate({ id: deleting.id })}
      >
        Members of this group lose the {deleting?.roleName} role at their next sign-in.
      </ConfirmDialog>
    </>
  );
}

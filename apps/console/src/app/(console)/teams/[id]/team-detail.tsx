"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { Badge } from "@/components/ui/badge";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { FormActions } from "@/components/ui/form-actions";
import { FormError } from "@/components/ui/form-error";
import { formatRelative } from "@/components/ui/format";
import { fieldErrorsOf, formErrorOf } from "@/components/ui/form-errors";
import { QueryState } from "@/components/ui/query-state";
import { RowActions, RowButton } from "@/components/ui/row-actions";
import { useViewer } from "@/components/viewer-context";
import { useTRPC } from "@/trpc/react";
import type { RouterOutputs } from "@/trpc/types";

type Member = RouterOutputs["teams"]["members"]["list"][number];

export function TeamDetail({ teamId }: { teamId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const viewer = useViewer();
  const team = useQuery(trpc.teams.get.queryOptions({ id: teamId }));
  const canManage = viewer.can("member.update", teamId);
  const members = useQuery({ ...trpc.teams.members.list.queryOptions({ teamId }), enabled: viewer.can("member.read", teamId) });
  const roles = useQuery({ ...trpc.settings.roles.list.queryOptions(), enabled: canManage && viewer.can("role.read") });
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState(false);
  const [removing, setRemoving] = useState<Member | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.teams.pathKey() });
  const add = useMutation(trpc.teams.members.add.mutationOptions({ onSuccess: () => (void refresh(), setAdding(false)) }));
  const remove = useMutation(trpc.teams.members.remove.mutationOptions({ onSuccess: () => (void refresh(), setRemoving(null)) }));
  const update = useMutation(trpc.teams.update.mutationOptions({ onSuccess: () => (void refresh(), setEditing(false)) }));
  const updateErrors = fieldErrorsOf(update.error);
  const errors = fieldErrorsOf(add.error);

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    add.mutate({ teamId, email: String(f.get("email")), roleId: String(f.get("roleId")) });
  }

  return (
    <>
      <p>
        <Link href="/teams">← Teams</Link>
      </p>
      <QueryState query={team} rows={1}>
        {(t) => (
          <div className="page-header">
            <div>
              <h1 className="page-title">{t.name}</h1>
              <p className="page-subtitle">
                <span className="mono">{t.slug}</span>
                {t.customerName ? ` · customer ${t.customerName}` : ""} · {t.virtualKeys} virtual key(s)
              </p>
            </div>
            <div className="page-actions">
              <Link className="button button-secondary" href={`/keys?teamId=${t.id}`}>
                Keys
              </Link>
              <Link className="button button-secondary" href="/budgets">
                Budgets
              </Link>
              {viewer.can("team.update", teamId) ? (
                <button type="button" className="button button-secondary" onClick={() => setEditing(true)}>
                  Edit team
                </button>
              ) : null}
              {canManage ? (
                <button type="button" className="button button-primary" onClick={() => setAdding(true)} disabled={!roles.data}>
                  Add member
                </button>
              ) : null}
            </div>
          </div>
        )}
      </QueryState>

      <section className="section" aria-labelledby="members-title">
        <h2 id="members-title" className="section-title">
          Members
        </h2>
        <QueryState query={members} isEmpty={(d) => d.length === 0} empty={<><strong>No members yet.</strong>People join when an IdP group mapped to this team signs in, or when added here.</>}>
          {(data) => (
            <div className="table-wrap">
              <table className="table" aria-label="Members">
                <thead>
                  <tr>
                    <th scope="col">Person</th>
                    <th scope="col">Roles in this team</th>
                    <th scope="col">Via</th>
                    <th scope="col">Last sign-in</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.map((m) => (
                    <tr key={m.userId}>
                      <td>
                        <strong>{m.name ?? m.email}</strong>
                        <div className="muted">{m.email}</div>
                      </td>
                      <td>{m.roles.map((r) => r.name).join(", ") || <span className="muted">member only</span>}</td>
                      <td>
                        <Badge tone={m.source}>{m.source === "idp" ? "IdP group" : "manual"}</Badge>
                      </td>
                      <td>{m.lastLoginAt ? formatRelative(m.lastLoginAt) : <span className="muted">never</span>}</td>
                      <td>
                        <RowActions>
                          {canManage ? (
                            <RowButton label={`Remove ${m.email}`} onClick={() => setRemoving(m)}>
                              Remove
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
      </section>

      <Dialog open={adding} onClose={() => (setAdding(false), add.reset())} title="Add a member">
        <form className="form" onSubmit={submit} noValidate>
          <FormError error={add.error} />
          <Field label="E-mail" error={errors.email} hint="Someone who has not signed in yet is linked at their first SSO sign-in.">
            <input name="email" type="email" required autoComplete="off" />
          </Field>
          <Field label="Role in this team" error={errors.roleId}>
            <select name="roleId" defaultValue={roles.data?.roles.find((r) => r.name === "Developer")?.id}>
              {(roles.data?.roles ?? []).map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                </option>
              ))}
            </select>
          </Field>
          <FormActions onCancel={() => (setAdding(false), add.reset())} pending={add.isPending}>
            Add member
          </FormActions>
        </form>
      </Dialog>

      <Dialog open={editing} onClose={() => (setEditing(false), update.reset())} title="Edit team">
        {team.data ? (
          <form
            className="form"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              const f = new FormData(e.currentTarget);
              update.mutate({ id: teamId, name: String(f.get("name") ?? ""), description: String(f.get("description") ?? "") || undefined });
            }}
          >
            <FormError error={update.error} />
            <Field label="Name" error={updateErrors.name}>
              <input name="name" required defaultValue={team.data.name} />
            </Field>
            <Field label="Description" error={updateErrors.description}>
              <input name="description" defaultValue={team.data.description ?? ""} />
            </Field>
            <FormActions onCancel={() => (setEditing(false), update.reset())} pending={update.isPending}>
              Save team
            </FormActions>
          </form>
        ) : null}
      </Dialog>

      <ConfirmDialog
        open={removing !== null}
        title={`Remove ${removing?.email ?? "member"}?`}
        confirmLabel="Remove from team"
        pending={remove.isPending}
        error={remove.error ? formErrorOf(remove.error) : null}
        onCancel={() => (setRemoving(null), remove.reset())}
        onConfirm={() => removing && remove.mutate({ teamId, userId: removing.userId })}
      >
        Their roles in this team end now.{removing?.source === "idp" ? " They come back at their next sign-in while their IdP group still maps to this team." : ""}
      </ConfirmDialog>
    </>
  );
}

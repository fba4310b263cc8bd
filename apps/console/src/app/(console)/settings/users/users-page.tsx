"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Badge } from "@/components/ui/badge";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { FormActions } from "@/components/ui/form-actions";
import { FormError } from "@/components/ui/form-error";
import { formatRelative } from "@/components/ui/format";
import { formErrorOf } from "@/components/ui/form-errors";
import { QueryState } from "@/components/ui/query-state";
import { RowActions, RowButton } from "@/components/ui/row-actions";
import { useViewer } from "@/components/viewer-context";
import { useTRPC } from "@/trpc/react";
import type { RouterOutputs } from "@/trpc/types";

type User = RouterOutputs["settings"]["users"]["list"][number];
type Open = { kind: "grant" | "disable" | "revoke"; user: User } | null;

export function UsersPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const viewer = useViewer();
  const users = useQuery(trpc.settings.users.list.queryOptions());
  const canManage = viewer.can("member.update");
  const roles = useQuery({ ...trpc.settings.roles.list.queryOptions(), enabled: canManage && viewer.can("role.read") });
  const teams = useQuery({ ...trpc.teams.list.queryOptions(), enabled: canManage });
  const [open, setOpen] = useState<Open>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.settings.users.pathKey() });
  const done = () => (void refresh(), setOpen(null));
  const setStatus = useMutation(trpc.settings.users.setStatus.mutationOptions({ onSuccess: done }));
  const revoke = useMutation(trpc.settings.users.revokeSessions.mutationOptions({ onSuccess: (r) => (done(), setNotice(`${r.revoked} session(s) ended.`)) }));
  const bind = useMutation(trpc.settings.users.bind.mutationOptions({ onSuccess: done }));
  const unbind = useMutation(trpc.settings.users.unbind.mutationOptions({ onSuccess: () => void refresh() }));
  const close = () => {
    setOpen(null);
    for (const m of [setStatus, revoke, bind]) m.reset();
  };

  function grant(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (!open) return;
    const f = new FormData(e.currentTarget);
    bind.mutate({ userId: open.user.id, roleId: String(f.get("roleId")), teamId: String(f.get("teamId") || "") || null });
  }

  return (
    <>
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      <FormError error={unbind.error} />
      <QueryState query={users} isEmpty={(d) => d.length === 0} empty={<strong>No users yet.</strong>}>
        {(data) => (
          <div className="table-wrap">
            <table className="table" aria-label="Users">
              <thead>
                <tr>
                  <th scope="col">User</th>
                  <th scope="col">Roles</th>
                  <th scope="col">Last sign-in</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.map((u) => (
                  <tr key={u.id} data-testid={`user-row-${u.email}`}>
                    <td>
                      <strong>{u.name ?? u.email}</strong> {u.isBootstrapAdmin ? <Badge tone="expired">bootstrap admin</Badge> : null} {u.status === "disabled" ? <Badge>disabled</Badge> : null}
                      <div className="muted">
                        {u.email} · {u.sso ? "SSO" : "no SSO sign-in yet"} · {u.liveSessions} live session(s)
                      </div>
                    </td>
                    <td>
                      {u.bindings.length === 0 ? <span className="muted">none</span> : null}
                      {u.bindings.map((b) => (
                        <div key={b.id}>
                          {b.role} {b.teamName ? <span className="muted">in {b.teamName}</span> : <span className="muted">organisation-wide</span>} <Badge tone={b.source}>{b.source === "idp" ? "IdP" : "manual"}</Badge>{" "}
                          {canManage && b.source === "manual" && !(u.id === viewer.user.id && b.role === "Owner") ? (
                            <button type="button" className="button-link" onClick={() => unbind.mutate({ bindingId: b.id })} aria-label={`Remove ${b.role} from ${u.email}`}>
                              remove
                            </button>
                          ) : null}
                        </div>
                      ))}
                    </td>
                    <td className="nowrap">{u.lastLoginAt ? formatRelative(u.lastLoginAt) : <span className="muted">never</span>}</td>
                    <td>
                      <RowActions>
                        {canManage && roles.data ? (
                          <RowButton label={`Grant a role to ${u.email}`} onClick={() => setOpen({ kind: "grant", user: u })}>
                            Grant role
                          </RowButton>
                        ) : null}
                        {viewer.can("session.revoke") && u.liveSessions > 0 ? (
                          <RowButton label={`End sessions of ${u.email}`} onClick={() => setOpen({ kind: "revoke", user: u })}>
                            End sessions
                          </RowButton>
                        ) : null}
                        {canManage && u.id !== viewer.user.id ? (
                          u.status === "active" ? (
                            <RowButton label={`Disable ${u.email}`} onClick={() => setOpen({ kind: "disable", user: u })}>
                              Disable
                            </RowButton>
                          ) : (
                            <RowButton label={`Enable ${u.email}`} onClick={() => setStatus.mutate({ userId: u.id, status: "active" })}>
                              Enable
                            </RowButton>
                          )
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

      <Dialog open={open?.kind === "grant"} onClose={close} title={`Grant a role to ${open?.user.email ?? ""}`}>
        <form className="form" onSubmit={grant}>
          <FormError error={bind.error} />
          <Field label="Role">
            <select name="roleId">
              {(roles.data?.roles ?? []).map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Scope" hint="A team grant applies inside that team only.">
            <select name="teamId" defaultValue="">
              <option value="">Organisation-wide</option>
              {(teams.data ?? []).map((t) => (
                <option key={t.id} value={t.id}>
                  Team {t.name}
                </option>
              ))}
            </select>
          </Field>
          <FormActions onCancel={close} pending={bind.isPending}>
            Grant role
          </FormActions>
        </form>
      </Dialog>

      <ConfirmDialog
        open={open?.kind === "disable"}
        title={`Disable ${open?.user.email ?? ""}?`}
        confirmLabel="Disable user"
        pending={setStatus.isPending}
        error={setStatus.error ? formErrorOf(setStatus.error) : null}
        onCancel={close}
        onConfirm={() => open && setStatus.mutate({ userId: open.user.id, status: "disabled" })}
      >
        {open?.user.isBootstrapAdmin ? "The break-glass bootstrap administrator can then no longer sign in (re-enable it here if SSO ever fails). " : ""}Their sessions end now and they cannot sign in until re-enabled.
      </ConfirmDialog>

      <ConfirmDialog
        open={open?.kind === "revoke"}
        title={`End all sessions of ${open?.user.email ?? ""}?`}
        confirmLabel="End sessions"
        pending={revoke.isPending}
        error={revoke.error ? formErrorOf(revoke.error) : null}
        onCancel={close}
        onConfirm={() => open && revoke.mutate({ userId: open.user.id })}
      >
        They are signed out on their next request and must sign in again.
      </ConfirmDialog>
    </>
  );
}

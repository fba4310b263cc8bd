"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Badge } from "@/components/ui/badge";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { FormActions } from "@/components/ui/form-actions";
import { FormError } from "@/components/ui/form-error";
import { formatDateTime, formatRelative } from "@/components/ui/format";
import { fieldErrorsOf, formErrorOf } from "@/components/ui/form-errors";
import { QueryState } from "@/components/ui/query-state";
import { RowActions, RowButton } from "@/components/ui/row-actions";
import { SecretReveal } from "@/components/ui/secret-reveal";
import { useViewer } from "@/components/viewer-context";
import { useTRPC } from "@/trpc/react";
import type { RouterOutputs } from "@/trpc/types";
import { TokenForm } from "./token-form";

type Account = RouterOutputs["settings"]["serviceAccounts"]["list"][number];
type Token = Account["tokens"][number];
type Open =
  | { kind: "create" }
  | { kind: "token"; account: Account }
  | { kind: "secret"; token: string }
  | { kind: "revoke"; token: Token }
  | { kind: "role"; account: Account }
  | { kind: "disable"; account: Account }
  | null;

export function ServiceAccountsPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const viewer = useViewer();
  const canEdit = viewer.can("service_account.update");
  const accounts = useQuery(trpc.settings.serviceAccounts.list.queryOptions());
  const roles = useQuery({ ...trpc.settings.roles.list.queryOptions(), enabled: canEdit && viewer.can("role.read") });
  const teams = useQuery({ ...trpc.teams.list.queryOptions(), enabled: canEdit });
  const [open, setOpen] = useState<Open>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.settings.serviceAccounts.pathKey() });
  const create = useMutation(trpc.settings.serviceAccounts.create.mutationOptions({ onSuccess: () => (void refresh(), setOpen(null)) }));
  const createToken = useMutation(trpc.settings.serviceAccounts.createToken.mutationOptions({ onSuccess: (r) => (void refresh(), setOpen({ kind: "secret", token: r.token })) }));
  const revokeToken = useMutation(trpc.settings.serviceAccounts.revokeToken.mutationOptions({ onSuccess: () => (void refresh(), setOpen(null)) }));
  const setRole = useMutation(trpc.settings.serviceAccounts.setRole.mutationOptions({ onSuccess: () => (void refresh(), setOpen(null)) }));
  const setDisabled = useMutation(trpc.settings.serviceAccounts.setDisabled.mutationOptions({ onSuccess: () => (void refresh(), setOpen(null)) }));
  const errors = fieldErrorsOf(create.error);
  const close = () => {
    setOpen(null);
    for (const m of [create, createToken, revokeToken, setRole, setDisabled]) m.reset();
  };

  function submitAccount(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    create.mutate({ name: String(f.get("name") ?? ""), description: String(f.get("description") ?? "") || undefined, roleId: String(f.get("roleId")), teamId: String(f.get("teamId") || "") || null });
  }

  function submitRole(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (open?.kind !== "role") return;
    const f = new FormData(e.currentTarget);
    setRole.mutate({ id: open.account.id, roleId: String(f.get("roleId")), teamId: String(f.get("teamId") || "") || null });
  }

  /** Role and scope fields, shared by "create" and "change role". */
  const roleFields = (initial?: Account["roles"][number], fieldErrors: Record<string, string> = {}) => (
    <>
      <Field label="Role" error={fieldErrors.roleId} hint="You can only grant what you hold.">
        <select name="roleId" defaultValue={initial?.roleId}>
          {(roles.data?.roles ?? []).map((r) => (
            <option key={r.id} value={r.id}>
              {r.name}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Scope" error={fieldErrors.teamId}>
        <select name="teamId" defaultValue={initial?.teamId ?? ""}>
          <option value="">Organisation-wide</option>
          {(teams.data ?? []).map((t) => (
            <option key={t.id} value={t.id}>
              Team {t.name}
            </option>
          ))}
        </select>
      </Field>
    </>
  );

  return (
    <>
      <p className="muted">
        Service accounts call the management API (<a href="/api/v1/openapi.json">/api/v1, OpenAPI document</a>) with <span className="mono">Authorization: Bearer pca_…</span> tokens and act with their roles, under the same checks as people.
      </p>
      {canEdit ? (
        <div className="toolbar">
          <button type="button" className="button button-primary" onClick={() => setOpen({ kind: "create" })} disabled={!roles.data}>
            Create service account
          </button>
        </div>
      ) : null}
      <QueryState query={accounts} isEmpty={(d) => d.length === 0} empty={<><strong>No service accounts.</strong>Create one for CI pipelines or the CLI.</>}>
        {(data) =>
          data.map((a) => (
            <section key={a.id} className="card" aria-labelledby={`sa-${a.id}`} data-testid={`service-account-${a.name}`}>
              <div className="page-header" style={{ marginBottom: 10 }}>
                <div>
                  <h2 id={`sa-${a.id}`} className="section-title" style={{ margin: 0 }}>
                    {a.name} {a.disabled ? <Badge>disabled</Badge> : null}
                  </h2>
                  <p className="muted" style={{ margin: "4px 0 0" }}>
                    {a.roles.map((r) => `${r.role}${r.teamName ? ` in ${r.teamName}` : ""}`).join(", ") || "no role"}
                    {a.description ? ` · ${a.description}` : ""}
                  </p>
                </div>
                {canEdit ? (
                  <RowActions>
                    {!a.disabled ? (
                      <RowButton onClick={() => setOpen({ kind: "token", account: a })}>
                        New token
                      </RowButton>
                    ) : null}
                    <RowButton label={`Change role of ${a.name}`} onClick={() => setOpen({ kind: "role", account: a })} disabled={!roles.data}>
                      Change role
                    </RowButton>
                    {a.disabled ? (
                      <RowButton label={`Enable ${a.name}`} onClick={() => setDisabled.mutate({ id: a.id, disabled: false })} disabled={setDisabled.isPending}>
                        Enable
                      </RowButton>
                    ) : (
                      <RowButton label={`Disable ${a.name}`} onClick={() => setOpen({ kind: "disable", account: a })}>
                        Disable
                      </RowButton>
                    )}
                  </RowActions>
                ) : null}
              </div>
              {a.tokens.length === 0 ? (
                <p className="muted">No tokens.</p>
              ) : (
                <table className="table" aria-label={`Tokens of ${a.name}`}>
                  <thead>
                    <tr>
                      <th scope="col">Token</th>
                      <th scope="col">Reach</th>
                      <th scope="col">Expires</th>
                      <th scope="col">Last used</th>
                      <th scope="col">
                        <span className="visually-hidden">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {a.tokens.map((t) => (
                      <tr key={t.id}>
                        <td>
                          {t.name} <span className="mono muted">{t.prefix}…</span> {t.revokedAt ? <Badge>revoked</Badge> : null}
                        </td>
                        <td>{t.scopes.length ? <span className="mono">{t.scopes.join(", ")}</span> : <span className="muted">all of its role</span>}</td>
                        <td>{t.expiresAt ? formatDateTime(t.expiresAt) : "never"}</td>
                        <td>{t.lastUsedAt ? formatRelative(t.lastUsedAt) : <span className="muted">never</span>}</td>
                        <td>
                          {canEdit && !t.revokedAt ? (
                            <RowActions>
                              <RowButton label={`Revoke token ${t.name}`} onClick={() => setOpen({ kind: "revoke", token: t })}>
                                Revoke
                              </RowButton>
                            </RowActions>
                          ) : null}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </section>
          ))
        }
      </QueryState>

      <Dialog open={open?.kind === "create"} onClose={close} title="Create a service account">
        <form className="form" onSubmit={submitAccount} noValidate>
          <FormError error={create.error} />
          <Field label="Name" error={errors.name} hint="e.g. ci-pipeline">
            <input name="name" required autoComplete="off" />
          </Field>
          {roleFields(undefined, errors)}
          <Field label="Description" error={errors.description}>
            <input name="description" />
          </Field>
          <FormActions onCancel={close} pending={create.isPending}>
            Create
          </FormActions>
        </form>
      </Dialog>

      <Dialog open={open?.kind === "token"} onClose={close} title={`New token for ${open?.kind === "token" ? open.account.name : ""}`}>
        {open?.kind === "token" ? <TokenForm account={open.account} pending={createToken.isPending} error={createToken.error} onSubmit={(v) => createToken.mutate(v)} onCancel={close} /> : null}
      </Dialog>

      <Dialog open={open?.kind === "role"} onClose={close} title={`Role of ${open?.kind === "role" ? open.account.name : ""}`}>
        {open?.kind === "role" ? (
          <form className="form" onSubmit={submitRole} noValidate>
            <FormError error={setRole.error} />
            {roleFields(open.account.roles[0], fieldErrorsOf(setRole.error))}
            <p className="muted">Replaces its current role. Its tokens act with the new one from their next call; a token narrowed to permissions the new role lacks loses them.</p>
            <FormActions onCancel={close} pending={setRole.isPending}>
              Save role
            </FormActions>
          </form>
        ) : null}
      </Dialog>

      <Dialog open={open?.kind === "secret"} onClose={close} title="Token created">
        {open?.kind === "secret" ? (
          <>
            <SecretReveal secret={open.token} what="API token" />
            <div className="form-actions">
              <button type="button" className="button button-primary" onClick={close}>
                I have copied it
              </button>
            </div>
          </>
        ) : null}
      </Dialog>

      <ConfirmDialog
        open={open?.kind === "revoke"}
        title={`Revoke token ${open?.kind === "revoke" ? open.token.name : ""}?`}
        confirmLabel="Revoke token"
        pending={revokeToken.isPending}
        error={revokeToken.error ? formErrorOf(revokeToken.error) : null}
        onCancel={close}
        onConfirm={() => open?.kind === "revoke" && revokeToken.mutate({ tokenId: open.token.id })}
      >
        Calls with it are refused from now on.
      </ConfirmDialog>

      <ConfirmDialog
        open={open?.kind === "disable"}
        title={`Disable ${open?.kind === "disable" ? open.account.name : ""}?`}
        confirmLabel="Disable service account"
        pending={setDisabled.isPending}
        error={setDisabled.error ? formErrorOf(setDisabled.error) : null}
        onCancel={close}
        onConfirm={() => open?.kind === "disable" && setDisabled.mutate({ id: open.account.id, disabled: true })}
      >
        Every token of this account is refused until it is enabled again.
      </ConfirmDialog>
    </>
  );
}

"use client";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { FormActions } from "@/components/ui/form-actions";
import { FormError } from "@/components/ui/form-error";
import { formatDateTime, formatRelative, formatUsd } from "@/components/ui/format";
import { formErrorOf } from "@/components/ui/form-errors";
import { LoadMore } from "@/components/ui/load-more";
import { RowActions, RowButton } from "@/components/ui/row-actions";
import { SecretReveal } from "@/components/ui/secret-reveal";
import { useViewer } from "@/components/viewer-context";
import { useTRPC } from "@/trpc/react";
import type { RouterOutputs } from "@/trpc/types";
import { KeyForm, type KeyFormValues } from "./key-form";

type Key = RouterOutputs["virtualKeys"]["list"]["items"][number];
type Status = "active" | "grace" | "expired" | "revoked" | "disabled";

export function KeysPage({ initialTeamId }: { initialTeamId?: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const viewer = useViewer();
  const [filters, setFilters] = useState<{ teamId?: string; status?: Status; search?: string }>(initialTeamId ? { teamId: initialTeamId } : {});
  const [dialog, setDialog] = useState<{ kind: "create" } | { kind: "edit" | "rotate" | "revoke"; key: Key } | { kind: "secret"; secret: string; key: Key; rotated: boolean } | null>(null);
  const [graceHours, setGraceHours] = useState(24);

  const keys = useInfiniteQuery(trpc.virtualKeys.list.infiniteQueryOptions({ ...filters, limit: 50 }, { getNextPageParam: (last) => last.nextCursor ?? undefined }));
  const canCreate = viewer.canSomewhere("virtual_key.create");
  const options = useQuery({ ...trpc.virtualKeys.formOptions.queryOptions(), enabled: canCreate });
  const teams = useQuery({ ...trpc.teams.list.queryOptions(), enabled: viewer.canSomewhere("team.read") });
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.virtualKeys.pathKey() });

  const create = useMutation(trpc.virtualKeys.create.mutationOptions({ onSuccess: (r) => (void refresh(), setDialog({ kind: "secret", secret: r.secret, key: r.key, rotated: false })) }));
  const update = useMutation(trpc.virtualKeys.update.mutationOptions({ onSuccess: () => (void refresh(), setDialog(null)) }));
  const rotate = useMutation(trpc.virtualKeys.rotate.mutationOptions({ onSuccess: (r) => (void refresh(), setDialog({ kind: "secret", secret: r.secret, key: r.key, rotated: true })) }));
  const revoke = useMutation(trpc.virtualKeys.revoke.mutationOptions({ onSuccess: () => (void refresh(), setDialog(null)) }));

  const items = keys.data?.pages.flatMap((p) => p.items) ?? [];
  const close = () => {
    setDialog(null);
    for (const m of [create, update, rotate, revoke]) m.reset();
  };

  return (
    <>
      <div className="page-header">
        <div>
          <h1 className="page-title">Virtual keys</h1>
          <p className="page-subtitle">Keys applications use to call the gateway. Secrets are shown once, then only their prefix.</p>
        </div>
        {canCreate ? (
          <div className="page-actions">
            <button type="button" className="button button-primary" onClick={() => setDialog({ kind: "create" })} disabled={!options.data}>
              Create key
            </button>
          </div>
        ) : null}
      </div>

      <form className="toolbar" role="search" aria-label="Filter keys" onSubmit={(e) => e.preventDefault()}>
        <Field label="Search">
          <input type="search" placeholder="Name or pck_ prefix" value={filters.search ?? ""} onChange={(e) => setFilters((f) => ({ ...f, search: e.target.value || undefined }))} />
        </Field>
        <Field label="Team">
          <select value={filters.teamId ?? ""} onChange={(e) => setFilters((f) => ({ ...f, teamId: e.target.value || undefined }))}>
            <option value="">All teams</option>
            {(teams.data ?? []).map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Status">
          <select value={filters.status ?? ""} onChange={(e) => setFilters((f) => ({ ...f, status: (e.target.value || undefined) as Status | undefined }))}>
            <option value="">Any status</option>
            {(["active", "grace", "expired", "revoked", "disabled"] as const).map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </Field>
      </form>

      {keys.error ? (
        <p className="notice notice-error" role="alert">
          Could not load keys: {keys.error.message}
        </p>
      ) : keys.isPending ? (
        <div className="table-wrap" aria-busy="true" aria-label="Loading keys">
          <div className="skeleton-row" />
          <div className="skeleton-row" />
          <div className="skeleton-row" />
        </div>
      ) : items.length === 0 ? (
        <div className="table-wrap empty">
          <strong>No virtual keys{Object.values(filters).some(Boolean) ? " match these filters" : " yet"}.</strong>
          {canCreate ? "Create one to call the gateway." : "Keys your teams create appear here."}
        </div>
      ) : (
        <div className="table-wrap">
          <table className="table" aria-label="Virtual keys">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Team</th>
                <th scope="col">Status</th>
                <th scope="col">Models</th>
                <th scope="col">Limits</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((k) => (
                <tr key={k.id} data-testid={`key-row-${k.name}`}>
                  <td>
                    <strong>{k.name}</strong>
                    <div className="mono muted">{k.prefix}…</div>
                  </td>
                  <td>
                    {k.teamName ?? <span className="muted">Organisation</span>}
                    <div className="muted">{k.environment}</div>
                  </td>
                  <td>
                    <Badge>{k.effectiveStatus}</Badge>
                    {k.effectiveStatus === "grace" ? <div className="muted">until {formatDateTime(k.graceExpiresAt)}</div> : null}
                  </td>
                  <td className="mono">{k.allowedModels.join(", ") || "none"}</td>
                  <td>
                    {k.budget ? (
                      <div>
                        {formatUsd(k.budget.limitUsd)} / {k.budget.period}
                      </div>
                    ) : null}
                    {k.rateLimit ? <div>{[k.rateLimit.rpm ? `${k.rateLimit.rpm} rpm` : null, k.rateLimit.tpm ? `${k.rateLimit.tpm} tpm` : null].filter(Boolean).join(" · ")}</div> : null}
                    {!k.budget && !k.rateLimit ? <span className="muted">team limits</span> : null}
                  </td>
                  <td className="nowrap">{k.lastUsedAt ? formatRelative(k.lastUsedAt) : <span className="muted">never</span>}</td>
                  <td>
                    <RowActions>
                      {k.status !== "revoked" && viewer.can("virtual_key.update", k.teamId) ? (
                        <>
                          <RowButton label={`Edit ${k.name}`} onClick={() => setDialog({ kind: "edit", key: k })} disabled={!options.data}>
                            Edit
                          </RowButton>
                          {k.effectiveStatus === "active" ? (
                            <RowButton label={`Rotate ${k.name}`} onClick={() => setDialog({ kind: "rotate", key: k })}>
                              Rotate
                            </RowButton>
                          ) : null}
                        </>
                      ) : null}
                      {k.status !== "revoked" && viewer.can("virtual_key.revoke", k.teamId) ? (
                        <RowButton label={`Revoke ${k.name}`} onClick={() => setDialog({ kind: "revoke", key: k })}>
                          Revoke
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
      <LoadMore query={keys} label="Load more" />

      <Dialog open={dialog?.kind === "create"} onClose={close} title="Create a virtual key" wide>
        {options.data ? (
          <KeyForm options={options.data} pending={create.isPending} error={create.error} onCancel={close} onSubmit={(v: KeyFormValues) => create.mutate(v)} />
        ) : null}
      </Dialog>

      <Dialog open={dialog?.kind === "edit"} onClose={close} title={`Edit ${dialog && "key" in dialog ? dialog.key.name : "key"}`} wide>
        {dialog?.kind === "edit" && options.data ? (
          <KeyForm
            options={options.data}
            initial={dialog.key}
            pending={update.isPending}
            error={update.error}
            onCancel={close}
            onSubmit={(v) => {
              const { teamId: _t, environment: _e, ...rest } = v;
              update.mutate({ id: dialog.key.id, ...rest, description: rest.description ?? null });
            }}
          />
        ) : null}
      </Dialog>

      <Dialog open={dialog?.kind === "rotate"} onClose={close} title={`Rotate ${dialog && "key" in dialog ? dialog.key.name : "key"}`}>
        {dialog?.kind === "rotate" ? (
          <form
            className="form"
            onSubmit={(e) => {
              e.preventDefault();
              rotate.mutate({ id: dialog.key.id, graceHours });
            }}
          >
            <p>A new key replaces this one with the same models, limits and bindings. The old key keeps working during the grace period, so you can roll the new one out first.</p>
            <Field label="Grace period (hours)" hint="0 revokes the old key at once. At most 720 (30 days).">
              <input type="number" min={0} max={720} value={graceHours} onChange={(e) => setGraceHours(Number(e.target.value))} />
            </Field>
            <FormError error={rotate.error} />
            <FormActions onCancel={close} pending={rotate.isPending}>
              Rotate key
            </FormActions>
          </form>
        ) : null}
      </Dialog>

      <ConfirmDialog
        open={dialog?.kind === "revoke"}
        title={`Revoke ${dialog && "key" in dialog ? dialog.key.name : "key"}?`}
        confirmLabel="Revoke key"
        pending={revoke.isPending}
        error={revoke.error ? formErrorOf(revoke.error) : null}
        onCancel={close}
        onConfirm={() => dialog && "key" in dialog && revoke.mutate({ id: dialog.key.id })}
      >
        Applications using <span className="mono">{dialog && "key" in dialog ? dialog.key.prefix : ""}…</span> are refused by every gateway within seconds. This cannot be undone.
      </ConfirmDialog>

      <Dialog open={dialog?.kind === "secret"} onClose={close} title={dialog?.kind === "secret" && dialog.rotated ? "Key rotated" : "Key created"}>
        {dialog?.kind === "secret" ? (
          <>
            <SecretReveal secret={dialog.secret} what="virtual key" />
            {options.data?.gatewayUrl ? (
              <pre className="code" aria-label="Example request">{`curl ${options.data.gatewayUrl}/v1/chat/completions \\
  -H "Authorization: Bearer ${dialog.secret.slice(0, 8)}…" \\
  -H "Content-Type: application/json" \\
  -d '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hello"}]}'`}</pre>
            ) : null}
            <div className="form-actions">
              <button type="button" className="button button-primary" onClick={close}>
                I have copied it
              </button>
            </div>
          </>
        ) : null}
      </Dialog>
    </>
  );
}

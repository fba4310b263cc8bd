"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Dialog } from "@/components/ui/dialog";
import { formatRelative } from "@/components/ui/format";
import { formErrorOf } from "@/components/ui/form-errors";
import { QueryState } from "@/components/ui/query-state";
import { RowActions, RowButton } from "@/components/ui/row-actions";
import { useViewer } from "@/components/viewer-context";
import { useTRPC } from "@/trpc/react";
import type { RouterOutputs } from "@/trpc/types";
import { ProviderForm } from "./provider-form";
import { ProviderKeyForm } from "./provider-key-form";

type Provider = RouterOutputs["providers"]["list"]["providers"][number];
type ProviderKey = Provider["keys"][number];
type Open =
  | { kind: "provider"; item?: Provider }
  | { kind: "delete-provider"; item: Provider }
  | { kind: "key"; provider: Provider }
  | { kind: "delete-key"; item: ProviderKey }
  | null;

export function ProvidersPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const viewer = useViewer();
  const list = useQuery(trpc.providers.list.queryOptions());
  const [open, setOpen] = useState<Open>(null);
  const [tests, setTests] = useState<Record<string, { ok: boolean; message: string }>>({});
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.providers.pathKey() });
  const done = () => (void refresh(), setOpen(null));
  const createProvider = useMutation(trpc.providers.create.mutationOptions({ onSuccess: done }));
  const updateProvider = useMutation(trpc.providers.update.mutationOptions({ onSuccess: done }));
  const deleteProvider = useMutation(trpc.providers.delete.mutationOptions({ onSuccess: done }));
  const createKey = useMutation(trpc.providers.keys.create.mutationOptions({ onSuccess: done }));
  const deleteKey = useMutation(trpc.providers.keys.delete.mutationOptions({ onSuccess: done }));
  const testKey = useMutation(
    trpc.providers.keys.test.mutationOptions({
      onSuccess: (r, vars) => {
        setTests((t) => ({ ...t, [vars.id]: { ok: r.ok, message: r.message } }));
        void refresh();
      },
    }),
  );
  const canEditProviders = viewer.can("provider.update");
  const canEditKeys = viewer.can("provider_credential.update");
  const close = () => {
    setOpen(null);
    for (const m of [createProvider, updateProvider, deleteProvider, createKey, deleteKey]) m.reset();
  };

  return (
    <>
      <div className="page-header">
        <div>
          <h1 className="page-title">Providers</h1>
          <p className="page-subtitle">Upstream LLM APIs and their keys. Credentials are references or encrypted values, and never shown back.</p>
        </div>
        {canEditProviders ? (
          <div className="page-actions">
            <button type="button" className="button button-primary" onClick={() => setOpen({ kind: "provider" })} disabled={!list.data}>
              Add provider
            </button>
          </div>
        ) : null}
      </div>
      <QueryState query={list} isEmpty={(d) => d.providers.length === 0} empty={<><strong>No providers yet.</strong>Add one (OpenAI, Anthropic, Azure, Bedrock…) so virtual keys can reach a model.</>}>
        {(data) =>
          data.providers.map((p) => (
            <section key={p.id} className="card" aria-labelledby={`provider-${p.id}`} data-testid={`provider-${p.name}`}>
              <div className="page-header" style={{ marginBottom: 12 }}>
                <div>
                  <h2 id={`provider-${p.id}`} className="section-title" style={{ margin: 0 }}>
                    {p.name} <Badge tone={p.enabled ? "active" : "disabled"}>{p.enabled ? "enabled" : "disabled"}</Badge>
                  </h2>
                  <p className="muted" style={{ margin: "4px 0 0" }}>
                    {p.type}
                    {p.baseUrl ? ` · ${p.baseUrl}` : " · public endpoint"}
                    {p.region ? ` · ${p.region}` : ""}
                  </p>
                </div>
                <div className="page-actions">
                  {canEditKeys ? (
                    <RowButton onClick={() => setOpen({ kind: "key", provider: p })}>
                      Add key
                    </RowButton>
                  ) : null}
                  {canEditProviders ? (
                    <>
                      <RowButton label={`Edit ${p.name}`} onClick={() => setOpen({ kind: "provider", item: p })}>
                        Edit
                      </RowButton>
                      {p.keys.length === 0 ? (
                        <RowButton label={`Delete ${p.name}`} onClick={() => setOpen({ kind: "delete-provider", item: p })}>
                          Delete
                        </RowButton>
                      ) : null}
                    </>
                  ) : null}
                </div>
              </div>
              {p.keys.length === 0 ? (
                <p className="muted">No keys: requests cannot reach this provider yet.</p>
              ) : (
                <div className="table-wrap">
                  <table className="table" aria-label={`Keys of ${p.name}`}>
                    <thead>
                      <tr>
                        <th scope="col">Key</th>
                        <th scope="col">Credential</th>
                        <th scope="col">Models</th>
                        <th scope="col">Last test</th>
                        <th scope="col">
                          <span className="visually-hidden">Actions</span>
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {p.keys.map((k) => {
                        const result = tests[k.id];
                        return (
                          <tr key={k.id}>
                            <td>
                              <strong>{k.name}</strong>
                              <div className="muted">
                                {k.environment} · weight {k.weight}
                              </div>
                            </td>
                            <td>{k.credentialKind === "reference" ? <span className="mono">{k.credentialRef}</span> : k.credentialKind === "encrypted" ? <Badge tone="info">encrypted value</Badge> : <span className="muted">none</span>}</td>
                            <td className="mono">{k.models.join(", ") || <span className="muted">catalog</span>}</td>
                            <td>
                              {result ? (
                                <span role="status">
                                  <Badge tone={result.ok ? "ok" : "error"}>{result.ok ? "ok" : "failed"}</Badge> {result.message}
                                </span>
                              ) : k.lastTestedAt ? (
                                <>
                                  <Badge tone={k.lastTestError ? "error" : "ok"}>{k.lastTestError ? "failed" : "ok"}</Badge> {formatRelative(k.lastTestedAt)}
                                  {k.lastTestError ? <div className="muted">{k.lastTestError}</div> : null}
                                </>
                              ) : (
                                <span className="muted">never tested</span>
                              )}
                            </td>
                            <td>
                              {canEditKeys ? (
                                <RowActions>
                                  <RowButton label={`Test ${k.name}`} onClick={() => testKey.mutate({ id: k.id })} disabled={testKey.isPending && testKey.variables?.id === k.id}>
                                    {testKey.isPending && testKey.variables?.id === k.id ? "Testing…" : "Test connection"}
                                  </RowButton>
                                  <RowButton label={`Delete key ${k.name}`} onClick={() => setOpen({ kind: "delete-key", item: k })}>
                                    Delete
                                  </RowButton>
                                </RowActions>
                              ) : null}
                            </td>
                          </tr>
                        );
                      })}
                    </tbody>
                  </table>
                </div>
              )}
            </section>
          ))
        }
      </QueryState>

      <Dialog open={open?.kind === "provider"} onClose={close} title={open?.kind === "provider" && open.item ? `Edit ${open.item.name}` : "Add a provider"} wide>
        {open?.kind === "provider" && list.data ? (
          <ProviderForm
            types={list.data.types}
            initial={open.item}
            pending={createProvider.isPending || updateProvider.isPending}
            error={open.item ? updateProvider.error : createProvider.error}
            onCancel={close}
            onSubmit={(v) => (open.item ? updateProvider.mutate({ id: open.item.id, ...v }) : createProvider.mutate(v))}
          />
        ) : null}
      </Dialog>

      <Dialog open={open?.kind === "key"} onClose={close} title={open?.kind === "key" ? `Add a key to ${open.provider.name}` : "Add a key"} wide>
        {open?.kind === "key" ? (
          <ProviderKeyForm encryptionAvailable={list.data?.encryptionAvailable ?? false} pending={createKey.isPending} error={createKey.error} onCancel={close} onSubmit={(v) => createKey.mutate({ providerId: open.provider.id, ...v })} />
        ) : null}
      </Dialog>

      <ConfirmDialog
        open={open?.kind === "delete-provider" || open?.kind === "delete-key"}
        title={open?.kind === "delete-key" ? `Delete key ${open.item.name}?` : open?.kind === "delete-provider" ? `Delete ${open.item.name}?` : ""}
        confirmLabel="Delete"
        pending={deleteProvider.isPending || deleteKey.isPending}
        error={formErrorOf(deleteProvider.error ?? deleteKey.error)}
        onCancel={close}
        onConfirm={() => {
          if (open?.kind === "delete-key") deleteKey.mutate({ id: open.item.id });
          if (open?.kind === "delete-provider") deleteProvider.mutate({ id: open.item.id });
        }}
      >
        {open?.kind === "delete-key" ? "Requests stop using this credential at once; virtual keys pinned to it lose it." : "The provider is removed from every gateway."}
      </ConfirmDialog>
    </>
  );
}

"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Badge } from "@/components/ui/badge";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { FormActions } from "@/components/ui/form-actions";
import { FormError } from "@/components/ui/form-error";
import { formatDateTime } from "@/components/ui/format";
import { fieldErrorsOf, formErrorOf } from "@/components/ui/form-errors";
import { QueryState } from "@/components/ui/query-state";
import { RowActions, RowButton } from "@/components/ui/row-actions";
import { useViewer } from "@/components/viewer-context";
import { useTRPC } from "@/trpc/react";
import type { RouterInputs, RouterOutputs } from "@/trpc/types";

type Data = RouterOutputs["prices"]["list"];
type Provider = Data["providers"][number];
type Override = Data["overrides"][number];

const rate = (n: number | null) => (n === null ? "—" : `$${n.toLocaleString("en", { maximumFractionDigits: 4 })}`);
const num = (v: FormDataEntryValue | null) => (v === null || String(v).trim() === "" ? null : Number(v));

export function PricesPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const viewer = useViewer();
  const canEdit = viewer.can("price.update");
  const [filter, setFilter] = useState<{ provider?: Provider; search?: string }>({ provider: "openai" });
  const prices = useQuery(trpc.prices.list.queryOptions(filter));
  const [editing, setEditing] = useState<{ provider: Provider; model: string } | null>(null);
  const [deleting, setDeleting] = useState<Override | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.prices.pathKey() });
  const create = useMutation(trpc.prices.createOverride.mutationOptions({ onSuccess: () => (void refresh(), setEditing(null)) }));
  const remove = useMutation(trpc.prices.deleteOverride.mutationOptions({ onSuccess: () => (void refresh(), setDeleting(null)) }));
  const errors = fieldErrorsOf(create.error);

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (!editing) return;
    const f = new FormData(e.currentTarget);
    const from = String(f.get("effectiveFrom") ?? "");
    const input: RouterInputs["prices"]["createOverride"] = {
      provider: editing.provider,
      model: String(f.get("model") ?? editing.model),
      inputPerMTok: num(f.get("inputPerMTok")) ?? Number.NaN,
      outputPerMTok: num(f.get("outputPerMTok")) ?? Number.NaN,
      cacheReadPerMTok: num(f.get("cacheReadPerMTok")),
      cacheWritePerMTok: num(f.get("cacheWritePerMTok")),
      ...(from ? { effectiveFrom: new Date(from).toISOString() } : {}),
    };
    create.mutate(input);
  }

  return (
    <>
      <div className="page-header">
        <div>
          <h1 className="page-title">Prices</h1>
          <p className="page-subtitle">USD per million tokens. The built-in catalog carries list prices with their source; an override (negotiated rates, new models) wins from its start date.</p>
        </div>
      </div>
      <form className="toolbar" role="search" aria-label="Filter prices" onSubmit={(e) => e.preventDefault()}>
        <Field label="Provider">
          <select value={filter.provider ?? ""} onChange={(e) => setFilter((f) => ({ ...f, provider: (e.target.value || undefined) as Provider | undefined }))}>
            <option value="">All providers</option>
            {(prices.data?.providers ?? []).map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Model">
          <input type="search" value={filter.search ?? ""} onChange={(e) => setFilter((f) => ({ ...f, search: e.target.value || undefined }))} />
        </Field>
      </form>
      <QueryState query={prices} isEmpty={(d) => d.catalog.length === 0} empty={<><strong>No catalog model matches.</strong>Add an override to price a model the catalog does not know.</>}>
        {(data) => (
          <div className="table-wrap">
            <table className="table" aria-label="Price catalog">
              <thead>
                <tr>
                  <th scope="col">Model</th>
                  <th scope="col" className="num">Input</th>
                  <th scope="col" className="num">Output</th>
                  <th scope="col" className="num">Cached read</th>
                  <th scope="col">Source</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.catalog.map((c) => (
                  <tr key={`${c.provider}/${c.model}`}>
                    <td>
                      <span className="mono">{c.model}</span> {c.override ? <Badge tone="info">override</Badge> : null}
                      <div className="muted">
                        {c.provider} · {c.mode}
                        {c.tiered ? " · tiered" : ""}
                      </div>
                    </td>
                    <td className="num">{rate(c.override?.inputPerMTok ?? c.inputPerMTok)}</td>
                    <td className="num">{rate(c.override ? c.override.outputPerMTok : c.outputPerMTok)}</td>
                    <td className="num">{rate(c.override ? c.override.cacheReadPerMTok : c.cacheReadPerMTok)}</td>
                    <td>
                      {c.override ? (
                        `override since ${formatDateTime(c.override.effectiveFrom)}`
                      ) : (
                        <a href={c.source} target="_blank" rel="noreferrer noopener">
                          list price, {c.asOf}
                        </a>
                      )}
                    </td>
                    <td>
                      {canEdit ? (
                        <RowActions>
                          <RowButton label={`Override price of ${c.model}`} onClick={() => setEditing({ provider: c.provider, model: c.model })}>
                            Override
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

      <section className="section" aria-labelledby="overrides-title" style={{ marginTop: 24 }}>
        <div className="page-header" style={{ marginBottom: 12 }}>
          <h2 id="overrides-title" className="section-title" style={{ margin: 0 }}>
            Overrides
          </h2>
          {canEdit ? (
            <button type="button" className="button button-secondary" onClick={() => setEditing({ provider: filter.provider ?? "openai", model: "" })}>
              Price another model
            </button>
          ) : null}
        </div>
        {prices.data && prices.data.overrides.length === 0 ? <p className="muted">No overrides: list prices apply.</p> : null}
        {prices.data && prices.data.overrides.length > 0 ? (
          <div className="table-wrap">
            <table className="table" aria-label="Price overrides">
              <thead>
                <tr>
                  <th scope="col">Model</th>
                  <th scope="col" className="num">Input</th>
                  <th scope="col" className="num">Output</th>
                  <th scope="col">From</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {prices.data.overrides.map((o) => (
                  <tr key={o.id}>
                    <td className="mono">
                      {o.provider}/{o.model}
                    </td>
                    <td className="num">{rate(o.inputPerMTok)}</td>
                    <td className="num">{rate(o.outputPerMTok)}</td>
                    <td>{formatDateTime(o.effectiveFrom)}</td>
                    <td>
                      {canEdit ? (
                        <RowActions>
                          <RowButton label={`Delete override of ${o.model}`} onClick={() => setDeleting(o)}>
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
        ) : null}
      </section>

      <Dialog open={editing !== null} onClose={() => (setEditing(null), create.reset())} title={editing?.model ? `Override ${editing.model}` : "Price a model"}>
        <form className="form" onSubmit={submit} noValidate>
          <FormError error={create.error} />
          {editing?.model ? null : (
            <Field label="Model id" error={errors.model} hint={`For provider ${editing?.provider ?? ""}.`}>
              <input name="model" required />
            </Field>
          )}
          <div className="form-grid">
            <Field label="Input (USD / 1M tokens)" error={errors.inputPerMTok}>
              <input name="inputPerMTok" type="number" step="any" min={0} required />
            </Field>
            <Field label="Output (USD / 1M tokens)" error={errors.outputPerMTok}>
              <input name="outputPerMTok" type="number" step="any" min={0} required />
            </Field>
            <Field label="Cached read" error={errors.cacheReadPerMTok} hint="Optional.">
              <input name="cacheReadPerMTok" type="number" step="any" min={0} />
            </Field>
            <Field label="Cache write" error={errors.cacheWritePerMTok} hint="Optional.">
              <input name="cacheWritePerMTok" type="number" step="any" min={0} />
            </Field>
            <Field label="Effective from" className="span-2" hint="Empty for now; a future date schedules a price change.">
              <input name="effectiveFrom" type="datetime-local" />
            </Field>
          </div>
          <FormActions onCancel={() => (setEditing(null), create.reset())} pending={create.isPending}>
            Save override
          </FormActions>
        </form>
      </Dialog>

      <ConfirmDialog
        open={deleting !== null}
        title={`Delete the override of ${deleting?.model ?? ""}?`}
        confirmLabel="Delete override"
        pending={remove.isPending}
        error={remove.error ? formErrorOf(remove.error) : null}
        onCancel={() => (setDeleting(null), remove.reset())}
        onConfirm={() => deleting && remove.mutate({ id: deleting.id })}
      >
        Costs are computed again from the list price (or an older override) for new requests.
      </ConfirmDialog>
    </>
  );
}

"use client";
import { useState, type FormEvent } from "react";
import { Field } from "@/components/ui/field";
import { FormActions } from "@/components/ui/form-actions";
import { fieldErrorsOf, formErrorOf, splitList } from "@/components/ui/form-errors";
import type { RouterOutputs } from "@/trpc/types";

type Key = RouterOutputs["virtualKeys"]["list"]["items"][number];
type Options = RouterOutputs["virtualKeys"]["formOptions"];
const periods = ["day", "week", "month", "quarter", "year", "lifetime"] as const;
type Period = (typeof periods)[number];

export interface KeyFormValues {
  name: string;
  description?: string;
  teamId: string | null;
  environment: "dev" | "staging" | "prod";
  allowedProviders: string[];
  allowedModels: string[];
  blockedModels: string[];
  allowedEndpoints: string[];
  ipAllowList: string[];
  expiresAt: string | null;
  budget: { limitUsd: number; period: Period } | null;
  rateLimit: { rpm: number | null; tpm: number | null } | null;
  providerKeyIds: string[];
}

const toNumber = (s: string) => (s.trim() === "" ? null : Number(s));

/** Create or edit a virtual key: models, limits and bindings; team and environment only at creation. */
export function KeyForm({ options, initial, pending, error, onSubmit, onCancel }: { options: Options; initial?: Key; pending: boolean; error: unknown; onSubmit: (v: KeyFormValues) => void; onCancel: () => void }) {
  const editing = Boolean(initial);
  const [environment, setEnvironment] = useState<KeyFormValues["environment"]>(initial?.environment ?? "prod");
  const [bound, setBound] = useState<string[]>(initial?.providerKeyIds ?? []);
  const errors = fieldErrorsOf(error);
  const formError = formErrorOf(error);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const f = new FormData(event.currentTarget);
    const text = (name: string) => String(f.get(name) ?? "");
    const limitUsd = toNumber(text("budgetUsd"));
    const rpm = toNumber(text("rpm"));
    const tpm = toNumber(text("tpm"));
    const expires = text("expiresAt");
    onSubmit({
      name: text("name"),
      description: text("description") || undefined,
      teamId: text("teamId") || null,
      environment,
      allowedProviders: splitList(text("allowedProviders")),
      allowedModels: splitList(text("allowedModels")),
      blockedModels: splitList(text("blockedModels")),
      allowedEndpoints: splitList(text("allowedEndpoints")),
      ipAllowList: splitList(text("ipAllowList")),
      expiresAt: expires ? new Date(`${expires}T23:59:59`).toISOString() : null,
      budget: limitUsd === null ? null : { limitUsd, period: text("budgetPeriod") as Period },
      rateLimit: rpm === null && tpm === null ? null : { rpm, tpm },
      providerKeyIds: bound.filter((id) => options.providerKeys.some((k) => k.id === id && k.environment === environment)),
    });
  }

  const bindable = options.providerKeys.filter((k) => k.environment === environment);
  return (
    <form className="form" onSubmit={submit} noValidate>
      {formError ? (
        <p className="notice notice-error" role="alert">
          {formError}
        </p>
      ) : null}
      <div className="form-grid">
        <Field label="Name" error={errors.name}>
          <input name="name" defaultValue={initial?.name} required maxLength={100} autoComplete="off" />
        </Field>
        <Field label="Team" error={errors.teamId} hint={editing ? "A key stays in its team." : undefined}>
          <select name="teamId" defaultValue={initial?.teamId ?? options.teams[0]?.id ?? ""} disabled={editing}>
            {options.canCreateOrgWide ? <option value="">Organisation-wide (no team)</option> : null}
            {options.teams.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Environment" hint="Only provider keys of this environment can serve it.">
          <select name="environment" value={environment} onChange={(e) => setEnvironment(e.target.value as KeyFormValues["environment"])} disabled={editing}>
            <option value="prod">prod</option>
            <option value="staging">staging</option>
            <option value="dev">dev</option>
          </select>
        </Field>
        <Field label="Expires on" error={errors.expiresAt} hint="Optional.">
          <input name="expiresAt" type="date" defaultValue={initial?.expiresAt?.slice(0, 10) ?? ""} />
        </Field>
        <Field label="Allowed models" className="span-2" error={errors.allowedModels} hint="Comma-separated; * wildcards, e.g. gpt-4o*, anthropic/claude-*. Empty allows none.">
          <input name="allowedModels" defaultValue={(initial?.allowedModels ?? ["*"]).join(", ")} />
        </Field>
        <Field label="Blocked models" error={errors.blockedModels} hint="Wins over the allow-list.">
          <input name="blockedModels" defaultValue={(initial?.blockedModels ?? []).join(", ")} />
        </Field>
        <Field label="Allowed providers" error={errors.allowedProviders} hint="Provider names or types; * for all.">
          <input name="allowedProviders" defaultValue={(initial?.allowedProviders ?? ["*"]).join(", ")} />
        </Field>
        <Field label="Allowed endpoints" error={errors.allowedEndpoints} hint="chat, embeddings, responses, messages, count_tokens, models; * for all.">
          <input name="allowedEndpoints" defaultValue={(initial?.allowedEndpoints ?? ["*"]).join(", ")} />
        </Field>
        <Field label="IP allow-list" error={errors.ipAllowList} hint="Addresses or CIDRs; empty allows any.">
          <input name="ipAllowList" defaultValue={(initial?.ipAllowList ?? []).join(", ")} />
        </Field>
        <Field label="Budget (USD)" error={errors.budget} hint="Optional; at most the team's budget for the period.">
          <input name="budgetUsd" type="number" min="0" step="0.01" inputMode="decimal" defaultValue={initial?.budget?.limitUsd ?? ""} />
        </Field>
        <Field label="Budget period">
          <select name="budgetPeriod" defaultValue={initial?.budget?.period ?? "month"}>
            {periods.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Requests per minute" error={errors.rateLimit} hint="Optional.">
          <input name="rpm" type="number" min="1" step="1" defaultValue={initial?.rateLimit?.rpm ?? ""} />
        </Field>
        <Field label="Tokens per minute" hint="Optional.">
          <input name="tpm" type="number" min="1" step="1" defaultValue={initial?.rateLimit?.tpm ?? ""} />
        </Field>
        <Field label="Description" className="span-2" error={errors.description}>
          <input name="description" defaultValue={initial?.description ?? ""} maxLength={500} />
        </Field>
      </div>
      <fieldset className="checkbox-group">
        <legend>Pinned provider keys ({environment})</legend>
        {bindable.length === 0 ? <span className="field-hint">No provider key in this environment: any key of the environment serves it.</span> : null}
        {bindable.map((k) => (
          <label key={k.id} className="checkbox">
            <input type="checkbox" checked={bound.includes(k.id)} onChange={(e) => setBound((b) => (e.target.checked ? [...b, k.id] : b.filter((x) => x !== k.id)))} />
            {k.label}
          </label>
        ))}
      </fieldset>
      <FormActions onCancel={onCancel} pending={pending}>
        {pending ? <span className="spinner" aria-hidden="true" /> : null}
        {editing ? "Save changes" : "Create key"}
      </FormActions>
    </form>
  );
}

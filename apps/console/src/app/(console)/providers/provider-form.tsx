"use client";
import type { FormEvent } from "react";
import { Field } from "@/components/ui/field";
import { FormActions } from "@/components/ui/form-actions";
import { FormError } from "@/components/ui/form-error";
import { fieldErrorsOf } from "@/components/ui/form-errors";
import type { RouterOutputs } from "@/trpc/types";

type Provider = RouterOutputs["providers"]["list"]["providers"][number];
type ProviderType = RouterOutputs["providers"]["list"]["types"][number];

export interface ProviderValues {
  name: string;
  type: ProviderType;
  baseUrl: string | null;
  region: string | null;
  apiVersion: string | null;
  enabled: boolean;
}

export function ProviderForm({ types, initial, pending, error, onSubmit, onCancel }: { types: readonly ProviderType[]; initial?: Provider; pending: boolean; error: unknown; onSubmit: (v: ProviderValues) => void; onCancel: () => void }) {
  const errors = fieldErrorsOf(error);
  const text = (f: FormData, k: string) => String(f.get(k) ?? "").trim() || null;
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    onSubmit({ name: String(f.get("name") ?? "").trim(), type: String(f.get("type")) as ProviderType, baseUrl: text(f, "baseUrl"), region: text(f, "region"), apiVersion: text(f, "apiVersion"), enabled: f.get("enabled") === "on" });
  }
  return (
    <form className="form" onSubmit={submit} noValidate>
      <FormError error={error} />
      <div className="form-grid">
        <Field label="Name" error={errors.name} hint="Clients may address it as name/model.">
          <input name="name" required defaultValue={initial?.name} autoComplete="off" />
        </Field>
        <Field label="Type" error={errors.type}>
          <select name="type" defaultValue={initial?.type ?? "openai"}>
            {types.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Base URL" className="span-2" error={errors.baseUrl} hint="Empty for the provider's public endpoint; include the version segment (…/v1) for OpenAI-style APIs.">
          <input name="baseUrl" type="url" defaultValue={initial?.baseUrl ?? ""} placeholder="https://api.openai.com/v1" />
        </Field>
        <Field label="Region" error={errors.region}>
          <input name="region" defaultValue={initial?.region ?? ""} />
        </Field>
        <Field label="API version" error={errors.apiVersion} hint="Azure OpenAI and similar.">
          <input name="apiVersion" defaultValue={initial?.apiVersion ?? ""} />
        </Field>
        <label className="checkbox">
          <input name="enabled" type="checkbox" defaultChecked={initial?.enabled ?? true} /> Enabled
        </label>
      </div>
      <FormActions onCancel={onCancel} pending={pending}>
        {initial ? "Save provider" : "Add provider"}
      </FormActions>
    </form>
  );
}

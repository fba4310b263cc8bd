"use client";
import { useState, type FormEvent } from "react";
import { Field } from "@/components/ui/field";
import { FormActions } from "@/components/ui/form-actions";
import { FormError } from "@/components/ui/form-error";
import { fieldErrorsOf, splitList } from "@/components/ui/form-errors";

type Credential = { kind: "reference"; ref: string } | { kind: "value"; value: string } | { kind: "none" };

export interface ProviderKeyValues {
  name: string;
  environment: "dev" | "staging" | "prod";
  credential: Credential;
  models: string[];
  weight: number;
}

/** A credential is a reference (resolved by the gateway at run time) or a value encrypted at rest; neither is ever shown again. */
export function ProviderKeyForm({ encryptionAvailable, pending, error, onSubmit, onCancel }: { encryptionAvailable: boolean; pending: boolean; error: unknown; onSubmit: (v: ProviderKeyValues) => void; onCancel: () => void }) {
  const [kind, setKind] = useState<Credential["kind"]>("reference");
  const errors = fieldErrorsOf(error);
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const credential: Credential = kind === "reference" ? { kind, ref: String(f.get("ref") ?? "") } : kind === "value" ? { kind, value: String(f.get("value") ?? "") } : { kind };
    onSubmit({
      name: String(f.get("name") ?? "").trim(),
      environment: String(f.get("environment")) as ProviderKeyValues["environment"],
      credential,
      models: splitList(String(f.get("models") ?? "")),
      weight: Number(f.get("weight") || 1),
    });
  }
  return (
    <form className="form" onSubmit={submit} noValidate autoComplete="off">
      <FormError error={error} />
      <div className="form-grid">
        <Field label="Name" error={errors.name}>
          <input name="name" required />
        </Field>
        <Field label="Environment" error={errors.environment}>
          <select name="environment" defaultValue="prod">
            <option value="prod">prod</option>
            <option value="staging">staging</option>
            <option value="dev">dev</option>
          </select>
        </Field>
      </div>
      <fieldset className="checkbox-group">
        <legend>Credential</legend>
        <label className="checkbox">
          <input type="radio" name="kind" checked={kind === "reference"} onChange={() => setKind("reference")} /> Secret reference
        </label>
        <label className="checkbox">
          <input type="radio" name="kind" checked={kind === "value"} onChange={() => setKind("value")} disabled={!encryptionAvailable} /> Value, encrypted at rest
        </label>
        <label className="checkbox">
          <input type="radio" name="kind" checked={kind === "none"} onChange={() => setKind("none")} /> None (local models)
        </label>
      </fieldset>
      {kind === "reference" ? (
        <Field label="Reference" error={errors.credential} hint="env://NAME, file:///path, vault://mount/path#field, aws-sm://…, gcp-sm://…, azure-kv://…">
          <input name="ref" required placeholder="env://OPENAI_API_KEY" />
        </Field>
      ) : kind === "value" ? (
        <Field label="API key" error={errors.credential} hint="Encrypted with AES-256-GCM before it is stored; never shown again.">
          <input name="value" type="password" required autoComplete="new-password" />
        </Field>
      ) : null}
      <div className="form-grid">
        <Field label="Models served" error={errors.models} hint="Empty = the provider's whole catalog.">
          <input name="models" placeholder="gpt-4o, gpt-4o-mini" />
        </Field>
        <Field label="Weight" error={errors.weight} hint="Share of traffic among keys serving the same model.">
          <input name="weight" type="number" min="0" max="1000" defaultValue={1} />
        </Field>
      </div>
      <FormActions onCancel={onCancel} pending={pending}>
        Add key
      </FormActions>
    </form>
  );
}

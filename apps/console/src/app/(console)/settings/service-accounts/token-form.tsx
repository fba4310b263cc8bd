"use client";
import { useState, type FormEvent } from "react";
import { Field } from "@/components/ui/field";
import { FormActions } from "@/components/ui/form-actions";
import { FormError } from "@/components/ui/form-error";
import { fieldErrorsOf } from "@/components/ui/form-errors";
import type { RouterInputs, RouterOutputs } from "@/trpc/types";

type Account = RouterOutputs["settings"]["serviceAccounts"]["list"][number];
export type TokenValues = RouterInputs["settings"]["serviceAccounts"]["createToken"];

/** Name, expiry and reach of a new API token: everything the account's role grants, or only chosen permissions. */
export function TokenForm({ account, pending, error, onSubmit, onCancel }: { account: Account; pending: boolean; error: unknown; onSubmit: (v: TokenValues) => void; onCancel: () => void }) {
  const [narrow, setNarrow] = useState(false);
  const [local, setLocal] = useState<Record<string, string>>({});
  const errors = { ...fieldErrorsOf(error), ...local };
  const byResource = new Map<string, string[]>();
  for (const p of account.permissions) {
    const [resource] = p.split(".");
    byResource.set(resource!, [...(byResource.get(resource!) ?? []), p]);
  }

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const problems: Record<string, string> = {};
    const name = String(f.get("name") ?? "").trim();
    if (!name) problems.name = "Enter a name.";
    const days = String(f.get("expiresInDays") ?? "").trim();
    const expiresInDays = days === "" ? null : Number(days);
    if (expiresInDays !== null && (!Number.isInteger(expiresInDays) || expiresInDays < 1 || expiresInDays > 730)) problems.expiresInDays = "Between 1 and 730 days, or empty for no expiry.";
    const scopes = narrow ? f.getAll("scopes").map(String) : [];
    if (narrow && scopes.length === 0) problems.scopes = "Choose at least one permission, or allow all of the role's.";
    setLocal(problems);
    if (Object.keys(problems).length) return;
    onSubmit({ serviceAccountId: account.id, name, expiresInDays, scopes });
  }

  return (
    <form className="form" onSubmit={submit} noValidate aria-label={`New token for ${account.name}`}>
      <FormError error={error} />
      <Field label="Token name" error={errors.name}>
        <input name="name" required defaultValue="default" />
      </Field>
      <Field label="Expires after (days)" error={errors.expiresInDays} hint="Empty for no expiry.">
        <input name="expiresInDays" type="number" min={1} max={730} defaultValue={90} />
      </Field>
      <fieldset className="checkbox-group" style={{ flexDirection: "column" }}>
        <legend>Reach</legend>
        <label className="checkbox">
          <input type="radio" name="reach" checked={!narrow} onChange={() => setNarrow(false)} /> Everything its role grants ({account.roles.map((r) => `${r.role}${r.teamName ? ` in ${r.teamName}` : ""}`).join(", ") || "no role"})
        </label>
        <label className="checkbox">
          <input type="radio" name="reach" checked={narrow} onChange={() => setNarrow(true)} /> Only these permissions
        </label>
      </fieldset>
      {narrow ? (
        <div className="field">
          {[...byResource].map(([resource, permissions]) => (
            <fieldset key={resource} className="checkbox-group" aria-describedby={errors.scopes ? "token-scopes-error" : undefined}>
              <legend className="mono">{resource}</legend>
              {permissions.map((p) => (
                <label key={p} className="checkbox">
                  <input type="checkbox" name="scopes" value={p} /> {p.split(".")[1]}
                </label>
              ))}
            </fieldset>
          ))}
          {errors.scopes ? (
            <span id="token-scopes-error" className="field-error">
              {errors.scopes}
            </span>
          ) : null}
        </div>
      ) : null}
      <FormActions onCancel={onCancel} pending={pending}>
        Create token
      </FormActions>
    </form>
  );
}

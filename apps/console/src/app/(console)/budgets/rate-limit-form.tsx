"use client";
import type { FormEvent } from "react";
import { Field } from "@/components/ui/field";
import { FormActions } from "@/components/ui/form-actions";
import { FormError } from "@/components/ui/form-error";
import { fieldErrorsOf } from "@/components/ui/form-errors";
import type { RouterOutputs } from "@/trpc/types";
import { ScopePicker, type ScopeType } from "./scope-picker";

type Limit = RouterOutputs["rateLimits"]["list"][number];

export interface RateLimitValues {
  scopeType?: ScopeType;
  scopeId?: string;
  rpm: number | null;
  tpm: number | null;
  windowSeconds: number;
  enabled: boolean;
}

const num = (v: FormDataEntryValue | null) => (v === null || String(v).trim() === "" ? null : Number(v));

export function RateLimitForm({ initial, scopeOptions, pending, error, onSubmit, onCancel }: { initial?: Limit; scopeOptions?: RouterOutputs["budgets"]["scopeOptions"]; pending: boolean; error: unknown; onSubmit: (v: RateLimitValues) => void; onCancel: () => void }) {
  const errors = fieldErrorsOf(error);
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    onSubmit({
      ...(initial ? {} : { scopeType: String(f.get("scopeType")) as ScopeType, scopeId: String(f.get("scopeId") ?? "") }),
      rpm: num(f.get("rpm")),
      tpm: num(f.get("tpm")),
      windowSeconds: Number(f.get("windowSeconds") || 60),
      enabled: f.get("enabled") === "on",
    });
  }
  return (
    <form className="form" onSubmit={submit} noValidate>
      <FormError error={error} />
      <div className="form-grid">
        {initial ? (
          <p className="span-2">
            For <strong>{initial.scopeLabel}</strong> ({initial.scopeType.replace("_", " ")}).
          </p>
        ) : scopeOptions ? (
          <ScopePicker options={scopeOptions} errors={errors} />
        ) : null}
        <Field label="Requests per window" error={errors.rpm}>
          <input name="rpm" type="number" min="1" defaultValue={initial?.rpm ?? ""} />
        </Field>
        <Field label="Tokens per window" error={errors.tpm}>
          <input name="tpm" type="number" min="1" defaultValue={initial?.tpm ?? ""} />
        </Field>
        <Field label="Window (seconds)" error={errors.windowSeconds} hint="60 = per minute (sliding).">
          <input name="windowSeconds" type="number" min="1" max="86400" defaultValue={initial?.windowSeconds ?? 60} disabled={Boolean(initial)} />
        </Field>
        <label className="checkbox">
          <input name="enabled" type="checkbox" defaultChecked={initial?.enabled ?? true} /> Enforced
        </label>
      </div>
      <FormActions onCancel={onCancel} pending={pending}>
        {initial ? "Save rate limit" : "Create rate limit"}
      </FormActions>
    </form>
  );
}

"use client";
import type { FormEvent } from "react";
import { Field } from "@/components/ui/field";
import { FormActions } from "@/components/ui/form-actions";
import { FormError } from "@/components/ui/form-error";
import { fieldErrorsOf } from "@/components/ui/form-errors";
import type { RouterOutputs } from "@/trpc/types";
import { ScopePicker, type ScopeType } from "./scope-picker";

type Budget = RouterOutputs["budgets"]["list"][number];
const periods = ["day", "week", "month", "quarter", "year", "lifetime"] as const;
type Period = (typeof periods)[number];

export interface BudgetValues {
  scopeType?: ScopeType;
  scopeId?: string;
  limitUsd: number;
  period: Period;
  timeZone: string;
  calendarAligned: boolean;
  softThresholdPct: number;
  enabled: boolean;
}

export function BudgetForm({ initial, scopeOptions, pending, error, onSubmit, onCancel }: { initial?: Budget; scopeOptions?: RouterOutputs["budgets"]["scopeOptions"]; pending: boolean; error: unknown; onSubmit: (v: BudgetValues) => void; onCancel: () => void }) {
  const errors = fieldErrorsOf(error);
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const limit = String(f.get("limitUsd") ?? "");
    onSubmit({
      ...(initial ? {} : { scopeType: String(f.get("scopeType")) as ScopeType, scopeId: String(f.get("scopeId") ?? "") }),
      limitUsd: limit === "" ? Number.NaN : Number(limit),
      period: String(f.get("period")) as Period,
      timeZone: String(f.get("timeZone") || "UTC"),
      calendarAligned: f.get("calendarAligned") === "on",
      softThresholdPct: Number(f.get("softThresholdPct") || 80),
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
        <Field label="Limit (USD)" error={errors.limitUsd}>
          <input name="limitUsd" type="number" min="0" step="0.01" inputMode="decimal" required defaultValue={initial?.limitUsd ?? ""} />
        </Field>
        <Field label="Period" error={errors.period}>
          <select name="period" defaultValue={initial?.period ?? "month"}>
            {periods.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Time zone" error={errors.timeZone} hint="Periods reset at midnight here (IANA name).">
          <input name="timeZone" defaultValue={initial?.timeZone ?? "UTC"} />
        </Field>
        <Field label="Alert at (% of the limit)" error={errors.softThresholdPct}>
          <input name="softThresholdPct" type="number" min="1" max="100" defaultValue={initial?.softThresholdPct ?? 80} />
        </Field>
        <label className="checkbox">
          <input name="calendarAligned" type="checkbox" defaultChecked={initial?.calendarAligned ?? true} /> Calendar-aligned periods (else rolling from creation)
        </label>
        <label className="checkbox">
          <input name="enabled" type="checkbox" defaultChecked={initial?.enabled ?? true} /> Enforced
        </label>
      </div>
      <FormActions onCancel={onCancel} pending={pending}>
        {initial ? "Save budget" : "Create budget"}
      </FormActions>
    </form>
  );
}

"use client";
import { Field } from "./field";

interface DateRange {
  from?: string | undefined;
  to?: string | undefined;
}

/** The From and To date filters of a list; an emptied date is passed on as undefined. */
export function DateRangeFields({ from, to, onChange }: DateRange & { onChange: (patch: DateRange) => void }) {
  return (
    <>
      <Field label="From">
        <input type="date" value={from ?? ""} onChange={(e) => onChange({ from: e.target.value || undefined })} />
      </Field>
      <Field label="To">
        <input type="date" value={to ?? ""} onChange={(e) => onChange({ to: e.target.value || undefined })} />
      </Field>
    </>
  );
}

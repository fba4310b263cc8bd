"use client";
import { useState } from "react";
import { Field } from "@/components/ui/field";
import type { RouterOutputs } from "@/trpc/types";

export const scopeTypes = ["team", "customer", "virtual_key", "provider_key", "tenant"] as const;
export type ScopeType = (typeof scopeTypes)[number];
const scopeNames: Record<ScopeType, string> = { team: "Team", customer: "Customer", virtual_key: "Virtual key", provider_key: "Provider key", tenant: "Tenant" };

/** Level + target of a budget or rate limit, as two form fields named scopeType and scopeId. */
export function ScopePicker({ options, errors }: { options: RouterOutputs["budgets"]["scopeOptions"]; errors: Record<string, string> }) {
  const available = scopeTypes.filter((t) => t === "tenant" || options[t].length > 0);
  const [type, setType] = useState<ScopeType>(available[0] ?? "tenant");
  return (
    <>
      <Field label="Applies to" error={errors.scopeType}>
        <select name="scopeType" value={type} onChange={(e) => setType(e.target.value as ScopeType)}>
          {available.map((t) => (
            <option key={t} value={t}>
              {scopeNames[t]}
            </option>
          ))}
        </select>
      </Field>
      {type === "tenant" ? (
        <Field label="Tenant id" error={errors.scopeId} hint="The value of the tenant header.">
          <input name="scopeId" required />
        </Field>
      ) : (
        <Field label={scopeNames[type]} error={errors.scopeId}>
          <select name="scopeId" key={type}>
            {options[type].map((o) => (
              <option key={o.id} value={o.id}>
                {o.label}
              </option>
            ))}
          </select>
        </Field>
      )}
    </>
  );
}

export function scopeLabel(type: string): string {
  return scopeNames[type as ScopeType] ?? type;
}

"use client";
import { useState, type FormEvent } from "react";
import { Field } from "@/components/ui/field";
import { FormActions } from "@/components/ui/form-actions";
import { FormError } from "@/components/ui/form-error";
import { fieldErrorsOf } from "@/components/ui/form-errors";
import type { RouterOutputs } from "@/trpc/types";

type Rule = RouterOutputs["routing"]["list"]["rules"][number];
type Mode = RouterOutputs["routing"]["list"]["modes"][number];

export interface RuleValues {
  name: string;
  description: string;
  priority: number;
  enabled: boolean;
  mode: Mode;
  match: Record<string, unknown>;
  targets: unknown[];
  policy: Record<string, unknown>;
}

const pretty = (v: unknown) => JSON.stringify(v, null, 2);
const exampleTargets = [{ provider: "openai", model: "gpt-4o" }, { provider: "azure-eastus", model: "gpt-4o" }];

/** JSON for match, targets and retry policy: checked here for syntax, on the server against the schema and the configuration. */
export function RuleForm({ initial, modes, pending, error, onSubmit, onCancel }: { initial?: Rule; modes: readonly Mode[]; pending: boolean; error: unknown; onSubmit: (v: RuleValues) => void; onCancel: () => void }) {
  const [jsonErrors, setJsonErrors] = useState<Record<string, string>>({});
  const errors = { ...fieldErrorsOf(error), ...jsonErrors };

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const problems: Record<string, string> = {};
    const parse = <T,>(name: string, isShape: (v: unknown) => boolean, shape: string): T | undefined => {
      try {
        const v = JSON.parse(String(f.get(name) ?? "")) as unknown;
        if (isShape(v)) return v as T;
        problems[name] = `Must be a JSON ${shape}.`;
      } catch (err) {
        problems[name] = `Not valid JSON: ${(err as Error).message}`;
      }
      return undefined;
    };
    const isObject = (v: unknown) => v !== null && typeof v === "object" && !Array.isArray(v);
    const match = parse<Record<string, unknown>>("match", isObject, "object");
    const targets = parse<unknown[]>("targets", Array.isArray, "array");
    const policy = parse<Record<string, unknown>>("policy", isObject, "object");
    setJsonErrors(problems);
    if (!match || !targets || !policy) return;
    onSubmit({
      name: String(f.get("name") ?? ""),
      description: String(f.get("description") ?? ""),
      priority: Number(f.get("priority") || 100),
      enabled: f.get("enabled") === "on",
      mode: String(f.get("mode")) as Mode,
      match,
      targets,
      policy,
    });
  }

  return (
    <form className="form" onSubmit={submit} noValidate>
      <FormError error={error} />
      <div className="form-grid">
        <Field label="Name" error={errors.name}>
          <input name="name" required defaultValue={initial?.name} />
        </Field>
        <Field label="Priority" error={errors.priority} hint="Lower runs first; the first matching rule decides.">
          <input name="priority" type="number" min={0} defaultValue={initial?.priority ?? 100} />
        </Field>
        <Field label="Strategy" error={errors.mode}>
          <select name="mode" defaultValue={initial?.mode ?? "fallback"}>
            {modes.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </Field>
        <label className="checkbox">
          <input name="enabled" type="checkbox" defaultChecked={initial?.enabled ?? true} /> Enabled
        </label>
        <Field label="Match (JSON)" className="span-2" error={errors.match} hint='Optional conditions: models (globs), virtualKeys, teams, customers, tenants, headers, metadata. {} matches every request.'>
          <textarea name="match" rows={4} spellCheck={false} defaultValue={pretty(initial?.match ?? { models: ["gpt-4o*"] })} />
        </Field>
        <Field label="Targets (JSON)" className="span-2" error={errors.targets} hint="Ordered list of { provider, key?, model, weight? }, or nested groups { mode, targets }.">
          <textarea name="targets" rows={6} spellCheck={false} defaultValue={pretty(initial?.targets ?? exampleTargets)} />
        </Field>
        <Field label="Retry and fallback policy (JSON)" className="span-2" error={errors.policy} hint="retries, backoffMs, attemptTimeoutMs, retryOn, fallbackOn… {} keeps the defaults.">
          <textarea name="policy" rows={3} spellCheck={false} defaultValue={pretty(initial?.policy ?? {})} />
        </Field>
        <Field label="Description" className="span-2" error={errors.description}>
          <input name="description" defaultValue={initial?.description ?? ""} />
        </Field>
      </div>
      <FormActions onCancel={onCancel} pending={pending}>
        Validate and save
      </FormActions>
    </form>
  );
}

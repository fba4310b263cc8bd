"use client";
import { useState, type FormEvent } from "react";
import { Field } from "@/components/ui/field";
import { FormActions } from "@/components/ui/form-actions";
import { FormError } from "@/components/ui/form-error";
import { fieldErrorsOf, splitList } from "@/components/ui/form-errors";
import type { RouterInputs, RouterOutputs } from "@/trpc/types";

type Policy = RouterOutputs["guardrails"]["list"]["policies"][number];
type Kind = RouterOutputs["guardrails"]["list"]["kinds"][number];
type ScopeOptions = RouterOutputs["guardrails"]["scopeOptions"];
export type GuardrailValues = RouterInputs["guardrails"]["create"];

const kindNames: Record<Kind, string> = { pii: "Personal data (PII)", regex: "Regular expressions", keywords: "Keywords", "prompt-injection": "Prompt injection", webhook: "External webhook" };
const scopeNames = { global: "Everything", customer: "Customer", team: "Team", virtual_key: "Virtual key", provider_key: "Provider key", tenant: "Tenant" } as const;
type ScopeType = keyof typeof scopeNames;

export function kindLabel(kind: string): string {
  return kindNames[kind as Kind] ?? kind;
}

export function scopeTypeLabel(type: string): string {
  return scopeNames[type as ScopeType] ?? type;
}

const lines = (text: string) => text.split("\n").map((l) => l.trim()).filter(Boolean);

/** The kind-specific config from the form, with the problems a browser can see before the server does. */
function readConfig(kind: Kind, f: FormData, problems: Record<string, string>): Record<string, unknown> {
  switch (kind) {
    case "pii": {
      const entities = f.getAll("entities").map(String);
      if (entities.length === 0) problems.entities = "Choose at least one kind of personal data.";
      return { entities, action: String(f.get("action")) };
    }
    case "regex": {
      const patterns = lines(String(f.get("patterns") ?? ""));
      if (patterns.length === 0) problems.patterns = "Add at least one pattern, one per line.";
      for (const [i, p] of patterns.entries()) {
        try {
          new RegExp(p, "u");
        } catch (e) {
          problems.patterns ??= `Line ${i + 1} does not compile: ${(e as Error).message}`;
        }
      }
      return { patterns, caseInsensitive: f.get("caseInsensitive") === "on" };
    }
    case "keywords": {
      const keywords = splitList(String(f.get("keywords") ?? "").replace(/\n/g, ","));
      if (keywords.length === 0) problems.keywords = "Add at least one keyword.";
      return { keywords, caseSensitive: f.get("caseSensitive") === "on" };
    }
    case "prompt-injection":
      return { sensitivity: String(f.get("sensitivity")) };
    case "webhook": {
      const url = String(f.get("url") ?? "").trim();
      if (!/^https:\/\/\S+$/.test(url)) problems.url = "Enter an https:// URL.";
      const timeoutMs = Number(f.get("timeoutMs"));
      if (!Number.isInteger(timeoutMs) || timeoutMs < 50 || timeoutMs > 30_000) problems.timeoutMs = "Between 50 and 30,000 ms.";
      const authRef = String(f.get("authRef") ?? "").trim();
      return { url, timeoutMs, ...(authRef ? { authRef } : {}) };
    }
  }
}

/** Create or edit a guardrail policy: the check and its settings, where it applies, and what a hit does. */
export function GuardrailForm({
  initial,
  kinds,
  piiEntityTypes,
  scopeOptions,
  pending,
  error,
  onSubmit,
  onCancel,
}: {
  initial?: Policy;
  kinds: readonly Kind[];
  piiEntityTypes: readonly string[];
  scopeOptions?: ScopeOptions;
  pending: boolean;
  error: unknown;
  onSubmit: (v: GuardrailValues) => void;
  onCancel: () => void;
}) {
  const c = (initial?.config ?? {}) as Record<string, unknown>;
  const [kind, setKind] = useState<Kind>((initial?.kind as Kind | undefined) ?? "pii");
  const [scopeType, setScopeType] = useState<ScopeType>((initial?.scopeType as ScopeType | undefined) ?? "global");
  const [mode, setMode] = useState<string>(initial?.mode ?? "redact");
  const [local, setLocal] = useState<Record<string, string>>({});
  const server = fieldErrorsOf(error);
  const errors: Record<string, string | undefined> = { ...server, ...local };
  // Nested config problems come back from the server on `config`; show them at the check's first field.
  const configError = local.entities ?? local.patterns ?? local.keywords ?? local.url ?? server.config;
  const canRedact = kind === "pii" || kind === "regex" || kind === "keywords";
  const scopeChoices = (Object.keys(scopeNames) as ScopeType[]).filter((t) => t === "global" || t === "tenant" || (scopeOptions?.[t]?.length ?? 0) > 0 || t === initial?.scopeType);

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const problems: Record<string, string> = {};
    const config = readConfig(kind, f, problems);
    const name = String(f.get("name") ?? "").trim();
    if (!name) problems.name = "Enter a name.";
    const scopeId = scopeType === "global" ? "" : String(f.get("scopeId") ?? "").trim();
    if (scopeType !== "global" && !scopeId) problems.scopeId = "Choose what the policy applies to.";
    setLocal(problems);
    if (Object.keys(problems).length) return;
    onSubmit({
      name,
      kind,
      config,
      mode: String(f.get("mode")),
      stage: String(f.get("stage")),
      failOpen: f.get("failOpen") === "open",
      scopeType,
      scopeId,
      priority: Number(f.get("priority") || 100),
      enabled: f.get("enabled") === "on",
    } as GuardrailValues);
  }

  return (
    <form className="form" onSubmit={submit} noValidate aria-label={initial ? `Edit guardrail policy ${initial.name}` : "New guardrail policy"}>
      <FormError error={error} />
      <div className="form-grid">
        <Field label="Name" error={errors.name}>
          <input name="name" required defaultValue={initial?.name} />
        </Field>
        <Field label="Check" error={errors.kind}>
          <select name="kind" value={kind} onChange={(e) => (setKind(e.target.value as Kind), setLocal({}))}>
            {kinds.map((k) => (
              <option key={k} value={k}>
                {kindNames[k]}
              </option>
            ))}
          </select>
        </Field>

        {kind === "pii" ? (
          <>
            <div className="span-2 field">
              <fieldset className="checkbox-group" aria-describedby={configError ? "pii-entities-error" : undefined}>
                <legend>Personal data to detect</legend>
                {piiEntityTypes.map((t) => (
                  <label key={t} className="checkbox">
                    <input type="checkbox" name="entities" value={t} defaultChecked={((c.entities as string[] | undefined) ?? ["email", "phone", "credit_card"]).includes(t)} /> {t.replace(/_/g, " ")}
                  </label>
                ))}
              </fieldset>
              {configError ? (
                <span id="pii-entities-error" className="field-error">
                  {configError}
                </span>
              ) : null}
            </div>
            <Field label="On a match" hint="Redact replaces the match before it reaches the model; block refuses the request.">
              <select name="action" defaultValue={(c.action as string | undefined) ?? "redact"} onChange={(e) => mode !== "log" && setMode(e.target.value)}>
                <option value="redact">redact</option>
                <option value="block">block</option>
              </select>
            </Field>
          </>
        ) : null}
        {kind === "regex" ? (
          <>
            <Field label="Patterns (one per line)" className="span-2" error={configError} hint="JavaScript regular expressions (Unicode mode), checked to compile.">
              <textarea name="patterns" rows={4} spellCheck={false} defaultValue={((c.patterns as string[] | undefined) ?? []).join("\n")} />
            </Field>
            <label className="checkbox">
              <input name="caseInsensitive" type="checkbox" defaultChecked={Boolean(c.caseInsensitive)} /> Ignore case
            </label>
          </>
        ) : null}
        {kind === "keywords" ? (
          <>
            <Field label="Keywords" className="span-2" error={configError} hint="Separated by commas or new lines.">
              <textarea name="keywords" rows={3} defaultValue={((c.keywords as string[] | undefined) ?? []).join(", ")} />
            </Field>
            <label className="checkbox">
              <input name="caseSensitive" type="checkbox" defaultChecked={Boolean(c.caseSensitive)} /> Case sensitive
            </label>
          </>
        ) : null}
        {kind === "prompt-injection" ? (
          <Field label="Sensitivity" error={configError} hint="Higher catches more attempts and flags more harmless prompts.">
            <select name="sensitivity" defaultValue={(c.sensitivity as string | undefined) ?? "medium"}>
              <option value="low">low</option>
              <option value="medium">medium</option>
              <option value="high">high</option>
            </select>
          </Field>
        ) : null}
        {kind === "webhook" ? (
          <>
            <Field label="Webhook URL" className="span-2" error={local.url ?? server.config} hint="https only. It receives the text and answers allow or deny.">
              <input name="url" type="url" inputMode="url" placeholder="https://guard.example.com/check" defaultValue={(c.url as string | undefined) ?? ""} />
            </Field>
            <Field label="Timeout (ms)" error={local.timeoutMs}>
              <input name="timeoutMs" type="number" min={50} max={30000} defaultValue={(c.timeoutMs as number | undefined) ?? 1000} />
            </Field>
            <Field label="Authorization secret (optional)" hint="A secret reference such as env://GUARD_TOKEN.">
              <input name="authRef" defaultValue={(c.authRef as string | undefined) ?? ""} />
            </Field>
          </>
        ) : null}

        <Field label="Mode" error={errors.mode} hint="Log only records hits and lets requests through.">
          <select name="mode" value={canRedact || mode !== "redact" ? mode : "block"} onChange={(e) => setMode(e.target.value)}>
            <option value="block">block</option>
            {canRedact ? <option value="redact">redact</option> : null}
            <option value="log">log only</option>
          </select>
        </Field>
        <Field label="Stage" error={errors.stage}>
          <select name="stage" defaultValue={initial?.stage ?? "input"}>
            <option value="input">input (the prompt)</option>
            <option value="output">output (the answer)</option>
          </select>
        </Field>
        <Field label="If the check fails or times out" error={errors.failOpen}>
          <select name="failOpen" defaultValue={initial?.failOpen ? "open" : "closed"}>
            <option value="closed">fail closed: refuse the request</option>
            <option value="open">fail open: let it through</option>
          </select>
        </Field>
        <Field label="Priority" error={errors.priority} hint="Lower runs first.">
          <input name="priority" type="number" min={0} max={10000} defaultValue={initial?.priority ?? 100} />
        </Field>

        <Field label="Applies to" error={errors.scopeType}>
          <select name="scopeType" value={scopeType} onChange={(e) => setScopeType(e.target.value as ScopeType)}>
            {scopeChoices.map((t) => (
              <option key={t} value={t}>
                {scopeNames[t]}
              </option>
            ))}
          </select>
        </Field>
        {scopeType === "tenant" ? (
          <Field label="Tenant id" error={errors.scopeId} hint="The value of the tenant header.">
            <input name="scopeId" defaultValue={initial?.scopeType === "tenant" ? initial.scopeId : ""} />
          </Field>
        ) : scopeType !== "global" ? (
          <Field label={scopeNames[scopeType]} error={errors.scopeId}>
            <select name="scopeId" key={scopeType} defaultValue={initial?.scopeType === scopeType ? initial.scopeId : undefined}>
              {initial?.scopeType === scopeType && !scopeOptions?.[scopeType]?.some((o) => o.id === initial.scopeId) ? <option value={initial.scopeId}>{initial.scopeLabel}</option> : null}
              {(scopeOptions?.[scopeType] ?? []).map((o) => (
                <option key={o.id} value={o.id}>
                  {o.label}
                </option>
              ))}
            </select>
          </Field>
        ) : (
          <p className="muted">Runs on every request.</p>
        )}
        <label className="checkbox">
          <input name="enabled" type="checkbox" defaultChecked={initial?.enabled ?? true} /> Enabled
        </label>
      </div>
      <FormActions onCancel={onCancel} pending={pending}>
        {pending ? "Saving…" : "Save policy"}
      </FormActions>
    </form>
  );
}

"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Badge } from "@/components/ui/badge";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { FormActions } from "@/components/ui/form-actions";
import { FormError } from "@/components/ui/form-error";
import { formatRelative } from "@/components/ui/format";
import { fieldErrorsOf, formErrorOf } from "@/components/ui/form-errors";
import { QueryState } from "@/components/ui/query-state";
import { RowActions, RowButton } from "@/components/ui/row-actions";
import { useViewer } from "@/components/viewer-context";
import { useTRPC } from "@/trpc/react";
import type { RouterOutputs } from "@/trpc/types";

type Sink = RouterOutputs["settings"]["exportSinks"]["list"][number];
type Kind = "syslog" | "webhook" | "file" | "otlp";

const templates: Record<Kind, object> = {
  syslog: { host: "siem.example.com", port: 6514, transport: "tls", appName: "portcullis" },
  webhook: { url: "https://splunk.example.com:8088/services/collector/event", format: "splunk_hec", tokenRef: "env://SPLUNK_HEC_TOKEN" },
  file: { path: "/var/log/portcullis/{stream}.jsonl" },
  otlp: { endpoint: "https://otel-collector.example.com:4318", headerRefs: { authorization: "env://OTLP_AUTH" } },
};

export function ExportSinksPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const viewer = useViewer();
  const canEdit = viewer.can("export_sink.update");
  const sinks = useQuery(trpc.settings.exportSinks.list.queryOptions());
  const [creating, setCreating] = useState(false);
  const [kind, setKind] = useState<Kind>("webhook");
  const [configText, setConfigText] = useState(JSON.stringify(templates.webhook, null, 2));
  const [jsonError, setJsonError] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<Sink | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.settings.exportSinks.pathKey() });
  const create = useMutation(trpc.settings.exportSinks.create.mutationOptions({ onSuccess: () => (void refresh(), setCreating(false)) }));
  const toggle = useMutation(trpc.settings.exportSinks.update.mutationOptions({ onSuccess: () => void refresh() }));
  const remove = useMutation(trpc.settings.exportSinks.delete.mutationOptions({ onSuccess: () => (void refresh(), setDeleting(null)) }));
  const errors = fieldErrorsOf(create.error);

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    let config: Record<string, unknown>;
    try {
      config = JSON.parse(configText) as Record<string, unknown>;
      setJsonError(null);
    } catch (err) {
      setJsonError(`Not valid JSON: ${(err as Error).message}`);
      return;
    }
    create.mutate({ name: String(f.get("name") ?? ""), kind, config, streams: f.getAll("streams").map(String) as ("audit" | "requests")[], enabled: true });
  }

  return (
    <>
      <p className="muted">The worker delivers audit events and request logs to these sinks at least once, keeping a durable position per sink. Secrets go in as references (env://…), never as values.</p>
      {canEdit ? (
        <div className="toolbar">
          <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
            Add export sink
          </button>
        </div>
      ) : null}
      <QueryState query={sinks} isEmpty={(d) => d.length === 0} empty={<><strong>No export sinks.</strong>Add a syslog, webhook (Splunk HEC), file or OTLP sink to feed your SIEM.</>}>
        {(data) => (
          <div className="table-wrap">
            <table className="table" aria-label="Export sinks">
              <thead>
                <tr>
                  <th scope="col">Sink</th>
                  <th scope="col">Streams</th>
                  <th scope="col">Delivery</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.map((s) => (
                  <tr key={s.id}>
                    <td>
                      <strong>{s.name}</strong> <Badge tone={s.enabled ? "active" : "disabled"}>{s.enabled ? "enabled" : "paused"}</Badge>
                      <div className="muted">{s.kind}</div>
                    </td>
                    <td>{s.streams.join(", ")}</td>
                    <td>
                      {s.cursors.length === 0 ? <span className="muted">not started</span> : null}
                      {s.cursors.map((c) => (
                        <div key={c.stream}>
                          {c.stream}: #{c.lastSeq}
                          {c.lastSuccessAt ? `, ${formatRelative(c.lastSuccessAt)}` : ""}
                          {c.failures ? <span className="field-error"> {c.failures} failure(s): {c.lastError}</span> : null}
                        </div>
                      ))}
                      {s.deadLetters ? <div className="field-error">{s.deadLetters} dead-lettered</div> : null}
                    </td>
                    <td>
                      {canEdit ? (
                        <RowActions>
                          <RowButton onClick={() => toggle.mutate({ id: s.id, enabled: !s.enabled })}>
                            {s.enabled ? "Pause" : "Resume"}
                          </RowButton>
                          <RowButton label={`Delete ${s.name}`} onClick={() => setDeleting(s)}>
                            Delete
                          </RowButton>
                        </RowActions>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </QueryState>

      <Dialog open={creating} onClose={() => (setCreating(false), create.reset())} title="Add an export sink" wide>
        <form className="form" onSubmit={submit} noValidate>
          <FormError error={create.error} />
          <div className="form-grid">
            <Field label="Name" error={errors.name}>
              <input name="name" required />
            </Field>
            <Field label="Kind">
              <select
                value={kind}
                onChange={(e) => {
                  const k = e.target.value as Kind;
                  setKind(k);
                  setConfigText(JSON.stringify(templates[k], null, 2));
                }}
              >
                <option value="webhook">HTTPS webhook (Splunk HEC or JSON)</option>
                <option value="syslog">Syslog (RFC 5424 over TCP/TLS)</option>
                <option value="otlp">OTLP logs</option>
                <option value="file">JSONL file</option>
              </select>
            </Field>
          </div>
          <fieldset className="checkbox-group">
            <legend>Streams</legend>
            <label className="checkbox">
              <input type="checkbox" name="streams" value="audit" defaultChecked /> Audit events
            </label>
            <label className="checkbox">
              <input type="checkbox" name="streams" value="requests" /> Request logs
            </label>
          </fieldset>
          {errors.streams ? <p className="field-error">{errors.streams}</p> : null}
          <Field label="Configuration (JSON)" error={jsonError ?? errors.config} hint="Secrets as references only, e.g. tokenRef: env://SPLUNK_HEC_TOKEN.">
            <textarea value={configText} onChange={(e) => setConfigText(e.target.value)} rows={8} spellCheck={false} />
          </Field>
          <FormActions onCancel={() => setCreating(false)} pending={create.isPending}>
            Add sink
          </FormActions>
        </form>
      </Dialog>

      <ConfirmDialog
        open={deleting !== null}
        title={`Delete ${deleting?.name ?? "sink"}?`}
        confirmLabel="Delete sink"
        pending={remove.isPending}
        error={remove.error ? formErrorOf(remove.error) : null}
        onCancel={() => (setDeleting(null), remove.reset())}
        onConfirm={() => deleting && remove.mutate({ id: deleting.id })}
      >
        Its delivery position is deleted too; exports to it stop now.
      </ConfirmDialog>
    </>
  );
}

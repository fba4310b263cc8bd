import type { PrismaClient } from "@portcullis/db";
import type { RequestEvent } from "@portcullis/events";

/** One request_logs row as jsonb_to_recordset reads it (snake_case keys = column names). */
function toRecord(e: RequestEvent) {
  return {
    id: e.id,
    created_at: e.time,
    virtual_key_id: e.identity.virtualKeyId ?? null,
    team_id: e.identity.teamId ?? null,
    customer_id: e.identity.customerId ?? null,
    tenant_id: e.identity.tenantId ?? null,
    user_label: e.identity.userLabel ?? null,
    endpoint: e.endpoint,
    model_requested: e.modelRequested ?? null,
    provider: e.provider ?? null,
    provider_key_id: e.providerKeyId ?? null,
    model_used: e.modelUsed ?? null,
    stream: e.stream,
    params: e.params,
    input_tokens: e.tokens.input,
    output_tokens: e.tokens.output,
    cached_read_tokens: e.tokens.cachedRead,
    cached_write_tokens: e.tokens.cachedWrite,
    latency_ms: e.latencyMs ?? null,
    ttft_ms: e.ttftMs ?? null,
    cost_micros: e.costMicros,
    outcome: e.outcome,
    error_code: e.errorCode ?? null,
    status: e.status ?? null,
    attempts: e.attempts,
    fallback_path: e.fallbackPath,
    guardrails: e.guardrails ?? null,
    request_body: e.requestBody ?? null,
    response_body: e.responseBody ?? null,
    metadata: e.node ? { ...e.metadata, node: e.node } : e.metadata,
  };
}

/**
 * Inserts request logs and adds them to the daily rollup in ONE statement (hence one
 * transaction): the rollup counts only the rows the ON CONFLICT DO NOTHING insert returned, so
 * a redelivered event is neither stored nor counted twice, and a crash leaves neither half.
 * Days are UTC days of the request time; `errors` counts every outcome but success.
 * The whole batch travels as one jsonb parameter, which keeps it one round trip.
 */
const insertSql = `
WITH batch AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(
    id text, created_at timestamptz, virtual_key_id text, team_id text, customer_id text, tenant_id text,
    user_label text, endpoint text, model_requested text, provider text, provider_key_id text, model_used text,
    stream boolean, params jsonb, input_tokens int, output_tokens int, cached_read_tokens int,
    cached_write_tokens int, latency_ms int, ttft_ms int, cost_micros bigint, outcome text, error_code text,
    status int, attempts int, fallback_path text[], guardrails jsonb, request_body jsonb, response_body jsonb,
    metadata jsonb)
), inserted AS (
  INSERT INTO request_logs (id, created_at, virtual_key_id, team_id, customer_id, tenant_id, user_label, endpoint,
    model_requested, provider, provider_key_id, model_used, stream, params, input_tokens, output_tokens,
    cached_read_tokens, cached_write_tokens, latency_ms, ttft_ms, cost_micros, outcome, error_code, status, attempts,
    fallback_path, guardrails, request_body, response_body, metadata)
  SELECT id, created_at, virtual_key_id, team_id, customer_id, tenant_id, user_label, endpoint,
    model_requested, provider, provider_key_id, model_used, stream, params, input_tokens, output_tokens,
    cached_read_tokens, cached_write_tokens, latency_ms, ttft_ms, cost_micros, outcome::request_outcome, error_code,
    status, attempts, fallback_path, guardrails, request_body, response_body, metadata
  FROM batch
  ON CONFLICT (id) DO NOTHING
  RETURNING created_at, virtual_key_id, team_id, customer_id, tenant_id, provider, model_used, model_requested,
    outcome, input_tokens, output_tokens, cached_read_tokens, cached_write_tokens, cost_micros
), rollup AS (
  SELECT (created_at AT TIME ZONE 'UTC')::date AS day, coalesce(virtual_key_id, '') AS virtual_key_id,
    coalesce(team_id, '') AS team_id, coalesce(customer_id, '') AS customer_id, coalesce(tenant_id, '') AS tenant_id,
    coalesce(provider, '') AS provider, coalesce(model_used, model_requested, '') AS model,
    count(*) AS requests, count(*) FILTER (WHERE outcome <> 'success') AS errors,
    sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
    sum(cached_read_tokens) AS cached_read_tokens, sum(cached_write_tokens) AS cached_write_tokens,
    sum(cost_micros) AS cost_micros
  FROM inserted
  GROUP BY 1, 2, 3, 4, 5, 6, 7
), upserted AS (
  INSERT INTO usage_daily AS u (day, virtual_key_id, team_id, customer_id, tenant_id, provider, model, requests, errors,
    input_tokens, output_tokens, cached_read_tokens, cached_write_tokens, cost_micros, updated_at)
  -- Key order keeps the row-lock order the same in every worker (fewer deadlocks).
  SELECT day, virtual_key_id, team_id, customer_id, tenant_id, provider, model, requests, errors,
    input_tokens, output_tokens, cached_read_tokens, cached_write_tokens, cost_micros, now()
  FROM rollup ORDER BY 1, 2, 3, 4, 5, 6, 7
  ON CONFLICT (day, virtual_key_id, team_id, customer_id, tenant_id, provider, model) DO UPDATE SET
    requests = u.requests + EXCLUDED.requests, errors = u.errors + EXCLUDED.errors,
    input_tokens = u.input_tokens + EXCLUDED.input_tokens, output_tokens = u.output_tokens + EXCLUDED.output_tokens,
    cached_read_tokens = u.cached_read_tokens + EXCLUDED.cached_read_tokens,
    cached_write_tokens = u.cached_write_tokens + EXCLUDED.cached_write_tokens,
    cost_micros = u.cost_micros + EXCLUDED.cost_micros, updated_at = now()
  RETURNING 1
)
SELECT (SELECT count(*) FROM inserted)::int AS inserted, (SELECT count(*) FROM upserted)::int AS usage_rows`;

export interface InsertRequestLogsResult {
  inserted: number;
  usageRows: number;
}

export async function insertRequestLogs(prisma: Pick<PrismaClient, "$queryRawUnsafe">, events: readonly RequestEvent[]): Promise<InsertRequestLogsResult> {
  if (events.length === 0) return { inserted: 0, usageRows: 0 };
  const rows = await prisma.$queryRawUnsafe<{ inserted: number; usage_rows: number }[]>(insertSql, JSON.stringify(events.map(toRecord), withoutNul));
  const r = rows[0];
  return { inserted: r?.inserted ?? 0, usageRows: r?.usage_rows ?? 0 };
}

/** PostgreSQL text and jsonb cannot hold U+0000; one such character would fail the whole batch. */
function withoutNul(_key: string, value: unknown): unknown {
  return typeof value === "string" && value.includes("\0") ? value.replaceAll("\0", "\uFFFD") : value;
}

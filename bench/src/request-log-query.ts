/**
 * The request-log explorer and dashboards over a large table: a scratch database is created and
 * migrated, filled with generate_series (spread over `days` days, thousands of keys, many teams,
 * customers, models and every outcome, appended in time order as the worker does), ANALYZEd, and
 * the console's own queries (apps/console/src/server/routers/request-logs.ts, overview*.ts) are
 * timed over one day. The scratch database is dropped afterwards.
 */
import { createPrisma, recreateDatabase, type PrismaClient } from "@portcullis/db";
import { migrate } from "@portcullis/db/migrate";
import { summarize } from "./stats";

export interface LogQuerySettings {
  adminUrl: string;
  rows: number;
  days: number;
  /** Timed runs per query (after one unrecorded run). */
  runs: number;
  database: string;
}

const flag = (v: string | undefined) => v === "1" || v === "true";

/** Undefined when the scenario is off: BENCH_QUICK=1 or BENCH_LOG_QUERY=0. */
export function readLogQuerySettings(env: NodeJS.ProcessEnv = process.env): LogQuerySettings | undefined {
  if (env["BENCH_LOG_QUERY"] === "0" || (flag(env["BENCH_QUICK"]) && !flag(env["BENCH_LOG_QUERY"]))) return undefined;
  const rows = Number(env["BENCH_LOG_ROWS"] ?? 10_000_000);
  if (!Number.isInteger(rows) || rows < 10_000) throw new Error("BENCH_LOG_ROWS must be an integer ≥ 10000");
  return {
    adminUrl: env["BENCH_DATABASE_URL"] ?? "postgresql://postgres@127.0.0.1:5432/postgres",
    rows,
    days: 30,
    runs: Number(env["BENCH_LOG_RUNS"] ?? 30),
    database: `portcullis_bench_logs_${process.pid}`,
  };
}

export interface LogQueryFigure {
  name: string;
  /** What the console does with it. */
  source: string;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  runs: number;
  /** Rows the query returned on its EXPLAIN ANALYZE run. */
  rows: number;
  /** Indexes the plan used (empty: a sequential scan). */
  indexes: string[];
  plan: string[];
}

export interface LogQueryReport {
  rows: number;
  days: number;
  rowsPerDay: number;
  fillSeconds: number;
  indexSeconds: number;
  tableMiB: number;
  indexesMiB: number;
  queries: LogQueryFigure[];
}

const keys = 2000;
const teams = 100;
const customers = 20;
const models = 40;

/** Rows in time order (seq follows created_at, as ingest appends); random attribution per row. */
function fillSql(days: number, rows: number): string {
  return `
INSERT INTO request_logs (id, created_at, virtual_key_id, team_id, customer_id, tenant_id, endpoint, model_requested, provider,
  provider_key_id, model_used, stream, params, input_tokens, output_tokens, latency_ms, ttft_ms, cost_micros, outcome, error_code, status,
  attempts, fallback_path, metadata)
SELECT 'req_bench' || i, t, 'vk_' || k, 'team_' || (k % ${teams}), 'cus_' || (k % ${customers}),
  CASE WHEN k % 10 = 0 THEN 'tenant_' || (i % 50) END, 'chat', 'model-' || m, 'prov-' || (m % 8), 'pk_' || (m % 8), 'model-' || m,
  r < 0.3, '{"max_tokens":512}', (r * 4000)::int, (r * 800)::int, 80 + (r2 * 4000)::int, 40 + (r2 * 600)::int, (r * 20000)::bigint,
  (CASE WHEN r < 0.93 THEN 'success' WHEN r < 0.97 THEN 'error' WHEN r < 0.99 THEN 'denied' ELSE 'incomplete' END)::request_outcome,
  CASE WHEN r >= 0.93 AND r < 0.97 THEN 'upstream_error' WHEN r >= 0.97 AND r < 0.99 THEN 'budget_exceeded' WHEN r >= 0.99 THEN 'stream_incomplete' END,
  CASE WHEN r < 0.93 THEN 200 WHEN r < 0.97 THEN 502 WHEN r < 0.99 THEN 429 ELSE 200 END,
  1, ARRAY['prov-' || (m % 8) || '/main'], '{}'
FROM (
  SELECT i, now() - make_interval(secs => (${days} * 86400.0) * (1 - i::float8 / ${rows})) AS t,
    floor(random() * ${keys})::int AS k, floor(random() * ${models})::int AS m, random() AS r, random() AS r2
  FROM generate_series($1::bigint, $2::bigint) AS i
) s`;
}

/** The day queried, and its 1,000th newest row (the cursor of page 21 at 50 per page). */
interface Day { from: Date; to: Date; cursor: { seq: bigint; createdAt: Date } }

interface QuerySpec {
  name: string;
  source: string;
  sql: string;
  /** Parameters of run n (filters vary from run to run, as different users look at different keys). */
  params: (n: number, day: Day) => unknown[];
  /** Fewer timed runs for a query that reads weeks of rows. */
  runs?: number;
}

/** What `requestLogs.list` has Prisma send: every column, newest first by time, one row more than a page. */
const explorer = (where: string) =>
  `SELECT * FROM request_logs WHERE created_at >= $1 AND created_at < $2${where} ORDER BY created_at DESC, seq DESC LIMIT 51 OFFSET 0`;

const queries: QuerySpec[] = [
  { name: "explorer: one day, newest first, page of 50", source: "requestLogs.list {from,to}", sql: explorer(""), params: (_n, d) => [d.from, d.to] },
  { name: "explorer: one day + virtual key", source: "requestLogs.list {virtualKeyId}", sql: explorer(" AND virtual_key_id = $3"), params: (n, d) => [d.from, d.to, `vk_${(n * 37) % keys}`] },
  { name: "explorer: one day + team", source: "requestLogs.list {teamId}", sql: explorer(" AND team_id = $3"), params: (n, d) => [d.from, d.to, `team_${n % teams}`] },
  { name: "explorer: one day + model", source: "requestLogs.list {model}", sql: explorer(" AND (model_used = $3 OR model_requested = $3)"), params: (n, d) => [d.from, d.to, `model-${n % models}`] },
  { name: "explorer: one day + outcome=error", source: "requestLogs.list {outcome}", sql: explorer(" AND outcome = $3::request_outcome"), params: (_n, d) => [d.from, d.to, "error"] },
  { name: "explorer: one day + team + outcome=denied", source: "requestLogs.list {teamId,outcome}", sql: explorer(" AND team_id = $3 AND outcome = $4::request_outcome"), params: (n, d) => [d.from, d.to, `team_${n % teams}`, "denied"] },
  {
    name: "explorer: one day, page 21 (cursor)", source: "requestLogs.list {cursor}",
    // The router first reads the cursor row's created_at by seq (a unique-index lookup, not timed here).
    sql: explorer(" AND created_at <= $3 AND (created_at < $3 OR seq < $4)"),
    params: (_n, d) => [d.from, d.to, d.cursor.createdAt, d.cursor.seq],
  },
  { name: "count over the last 24 h", source: "overview.summary requestsLast24h", sql: "SELECT count(*) FROM request_logs WHERE created_at >= $1", params: () => [new Date(Date.now() - 86_400_000)] },
  {
    name: "latency avg and p95 over one day", source: "overview.charts (loadDailySeries), one day",
    sql: `SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, avg(latency_ms)::float8 AS avg,
      percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms)::float8 AS p95
      FROM request_logs WHERE created_at >= $1 AND created_at < $2 AND latency_ms IS NOT NULL GROUP BY 1`,
    params: (_n, d) => [d.from, d.to],
  },
  {
    // Beyond the one-day target: the overview chart's default range, as the console runs it.
    name: "latency avg and p95 per day over 14 days", source: "overview.charts (loadDailySeries), default 14 days",
    sql: `SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, avg(latency_ms)::float8 AS avg,
      percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms)::float8 AS p95
      FROM request_logs WHERE created_at >= $1 AND latency_ms IS NOT NULL GROUP BY 1`,
    params: () => [new Date(Date.now() - 13 * 86_400_000)],
    runs: 5,
  },
];

interface PlanNode { "Node Type": string; "Index Name"?: string; Plans?: PlanNode[] }

function indexesOf(node: PlanNode, out = new Set<string>()): Set<string> {
  if (node["Index Name"]) out.add(node["Index Name"]);
  for (const child of node.Plans ?? []) indexesOf(child, out);
  return out;
}

async function timeQuery(prisma: PrismaClient, q: QuerySpec, runs: number, day: Day): Promise<LogQueryFigure> {
  await prisma.$queryRawUnsafe(q.sql, ...q.params(0, day));
  const samples: number[] = [];
  for (let n = 1; n <= runs; n++) {
    const t0 = performance.now();
    await prisma.$queryRawUnsafe(q.sql, ...q.params(n, day));
    samples.push(performance.now() - t0);
  }
  const [{ "QUERY PLAN": json }] = await prisma.$queryRawUnsafe<[{ "QUERY PLAN": [{ Plan: PlanNode & { "Actual Rows": number } }] }]>(`EXPLAIN (ANALYZE, FORMAT JSON) ${q.sql}`, ...q.params(1, day));
  const text = await prisma.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(`EXPLAIN ${q.sql}`, ...q.params(1, day));
  const s = summarize(samples);
  return {
    name: q.name, source: q.source, p50Ms: s.p50, p99Ms: s.p99, maxMs: Math.max(...samples), runs,
    rows: json[0].Plan["Actual Rows"], indexes: [...indexesOf(json[0].Plan)], plan: text.map((r) => r["QUERY PLAN"]),
  };
}

/** Drops the indexes for the bulk load and builds them after: the load is several times faster. */
async function withoutIndexes<T>(prisma: PrismaClient, load: () => Promise<T>): Promise<{ result: T; indexSeconds: number }> {
  const defs = await prisma.$queryRawUnsafe<{ indexname: string; indexdef: string }[]>(
    "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'request_logs' AND indexname <> 'request_logs_pkey'",
  );
  await prisma.$executeRawUnsafe("ALTER TABLE request_logs DROP CONSTRAINT request_logs_pkey");
  for (const d of defs) await prisma.$executeRawUnsafe(`DROP INDEX "${d.indexname}"`);
  const result = await load();
  const t0 = performance.now();
  await prisma.$transaction(async (tx) => {
    await tx.$executeRawUnsafe("SET LOCAL maintenance_work_mem = '512MB'");
    await tx.$executeRawUnsafe("ALTER TABLE request_logs ADD CONSTRAINT request_logs_pkey PRIMARY KEY (id)");
    for (const d of defs) await tx.$executeRawUnsafe(d.indexdef);
  }, { timeout: 3_600_000 });
  return { result, indexSeconds: (performance.now() - t0) / 1000 };
}

export async function runRequestLogQueryBench(s: LogQuerySettings, log: (line: string) => void): Promise<LogQueryReport> {
  const url = await recreateDatabase(s.adminUrl, s.database);
  const admin = createPrisma(s.adminUrl, { max: 1 });
  let prisma: PrismaClient | undefined;
  try {
    await migrate(url);
    prisma = createPrisma(url, { max: 2 });
    const db = prisma;
    log(`request logs: filling ${s.rows.toLocaleString("en")} rows over ${s.days} days into ${s.database}`);
    const t0 = performance.now();
    const chunk = 1_000_000;
    const { indexSeconds } = await withoutIndexes(db, async () => {
      for (let from = 1; from <= s.rows; from += chunk) {
        await db.$executeRawUnsafe(fillSql(s.days, s.rows), from, Math.min(s.rows, from + chunk - 1));
      }
    });
    const fillSeconds = (performance.now() - t0) / 1000 - indexSeconds;
    await db.$executeRawUnsafe("VACUUM (ANALYZE) request_logs");
    const [size] = await db.$queryRawUnsafe<{ table: bigint; indexes: bigint }[]>(
      "SELECT pg_table_size('request_logs') AS table, pg_indexes_size('request_logs') AS indexes",
    );
    log(`request logs: filled in ${fillSeconds.toFixed(0)} s, indexes built in ${indexSeconds.toFixed(0)} s; timing ${queries.length} queries × ${s.runs}`);
    // A whole UTC day in the middle of the range: neither the hot end of the table nor its start.
    const mid = Date.now() - Math.floor(s.days / 2) * 86_400_000;
    const from = new Date(Math.floor(mid / 86_400_000) * 86_400_000);
    const to = new Date(from.getTime() + 86_400_000);
    const [page21] = await db.$queryRawUnsafe<{ seq: bigint; created_at: Date }[]>(
      "SELECT seq, created_at FROM request_logs WHERE created_at >= $1 AND created_at < $2 ORDER BY created_at DESC, seq DESC OFFSET 1000 LIMIT 1", from, to,
    );
    const day: Day = { from, to, cursor: { seq: page21!.seq, createdAt: page21!.created_at } };
    const figures: LogQueryFigure[] = [];
    for (const q of queries) figures.push(await timeQuery(db, q, Math.min(s.runs, q.runs ?? s.runs), day));
    return {
      rows: s.rows, days: s.days, rowsPerDay: Math.round(s.rows / s.days), fillSeconds, indexSeconds,
      tableMiB: Number(size!.table) / 2 ** 20, indexesMiB: Number(size!.indexes) / 2 ** 20, queries: figures,
    };
  } finally {
    await prisma?.$disconnect();
    await admin.$executeRawUnsafe(`DROP DATABASE IF EXISTS "${s.database}" WITH (FORCE)`).catch(() => 0);
    await admin.$disconnect();
  }
}

export function formatLogQueryReport(r: LogQueryReport): string {
  const lines = [
    `Request-log queries over ${r.rows.toLocaleString("en")} rows (${r.days} days, ~${r.rowsPerDay.toLocaleString("en")} per day; table ${r.tableMiB.toFixed(0)} MiB, indexes ${r.indexesMiB.toFixed(0)} MiB)`,
    "| query | p50 ms | p99 ms | rows | indexes used |",
    "| --- | --- | --- | --- | --- |",
    ...r.queries.map((q) => `| ${q.name} | ${q.p50Ms.toFixed(1)} | ${q.p99Ms.toFixed(1)} | ${q.rows} | ${q.indexes.join(", ") || "none (sequential scan)"} |`),
  ];
  return lines.join("\n");
}

/**
 * Only the request-log query scenario of `pnpm bench` (a scratch database of BENCH_LOG_ROWS rows,
 * 10 million by default): `pnpm exec tsx bench/request-logs.ts`. Figures go to
 * bench/results/request-logs.json.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { formatLogQueryReport, readLogQuerySettings, runRequestLogQueryBench } from "./src/request-log-query";

const resultsDir = join(dirname(fileURLToPath(import.meta.url)), "results");
const startedAt = Date.now();
const log = (line: string) => process.stderr.write(`[bench ${((Date.now() - startedAt) / 1000).toFixed(0).padStart(3)}s] ${line}\n`);

const settings = readLogQuerySettings({ ...process.env, BENCH_LOG_QUERY: process.env["BENCH_LOG_QUERY"] ?? "1" });
if (!settings) throw new Error("BENCH_LOG_QUERY=0: nothing to run");
const report = await runRequestLogQueryBench(settings, log);
mkdirSync(resultsDir, { recursive: true });
writeFileSync(join(resultsDir, "request-logs.json"), `${JSON.stringify(report, null, 2)}\n`);
console.log(formatLogQueryReport(report));

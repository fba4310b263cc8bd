/**
 * Preloaded (`node --import`) into every process the benchmark starts: if the benchmark
 * dies without stopping its children (killed, or its output pipe closed), they exit
 * within a second instead of living on as orphans. One unref'd timer: no load.
 */
const parent = Number(process.env["BENCH_PARENT_PID"]);
if (Number.isInteger(parent) && parent > 0) {
  setInterval(() => {
    if (process.ppid !== parent) process.exit(0);
  }, 1000).unref();
}

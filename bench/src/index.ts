/** The benchmark's pieces, for reuse by other measurements; `pnpm bench` runs bench/run.ts. */
export { createPool, runOpenLoop, runClosedLoop, type Endpoint, type OpenLoopOptions, type OpenLoopResult, type ClosedLoopResult } from "./open-loop";
export { summarize, median, quantileSorted, type Percentiles } from "./stats";
export { findWrk, runWrk, parseWrk, type WrkResult } from "./wrk";
export { summarizeProfile, type ProfileSummary } from "./profile";

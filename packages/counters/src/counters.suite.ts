import { afterEach, describe } from "vitest";
import { admissionCases } from "./counters-admission.suite";
import { timeCases } from "./counters-time.suite";
import type { Counters } from "./types";

export type MakeCounters = () => Counters | Promise<Counters>;

/** Gives each test fresh counters and closes them afterwards. */
export interface SuiteContext {
  counters(): Promise<Counters>;
}

/**
 * The behaviour every Counters implementation must have, run by memory.test.ts against the
 * in-process store and by redis.int.test.ts against Redis. Time is always passed in (`now`),
 * so windows and calendar boundaries are exercised exactly, without waiting.
 */
export function countersSuite(make: MakeCounters): void {
  const open: Counters[] = [];
  const ctx: SuiteContext = {
    async counters() {
      const c = await make();
      open.push(c);
      return c;
    },
  };
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.close()));
  });
  describe("admission and settlement", () => admissionCases(ctx));
  describe("windows, periods and expiry", () => timeCases(ctx));
}

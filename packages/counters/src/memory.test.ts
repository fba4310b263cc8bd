import { describe } from "vitest";
import { countersSuite } from "./counters.suite";
import { createMemoryCounters } from "./memory-counters";

describe("memory counters", () => {
  countersSuite(() => createMemoryCounters());
});

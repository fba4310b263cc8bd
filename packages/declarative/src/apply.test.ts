import { describe, expect, it } from "vitest";
import { formatApplyReport } from "./apply";
import type { Plan } from "./plan";

const plan: Plan = {
  changes: [
    { op: "create", kind: "team", name: "ml", path: ["teams", 0], after: { slug: "ml", name: "ML" } },
    { op: "update", kind: "virtual_key", name: "bot", path: ["virtualKeys", 0], before: { allowedModels: ["a"] }, after: { allowedModels: ["b"] }, fields: ["allowedModels", "key"] },
  ],
  unchanged: 3,
};
const keys = [{ name: "bot", key: "pck_generated" }];

describe("formatApplyReport", () => {
  it("prints the plan, then says a dry run changed nothing (and never prints a key)", () => {
    expect(formatApplyReport(plan, { dryRun: true, version: null, createdKeys: keys })).toBe(
      ['+ team ml  (teams[0])', '~ virtual key bot\n    allowedModels: ["a"] -> ["b"]\n    key: (new plaintext)', "2 change(s), 3 unchanged", "dry run: nothing was changed"].join("\n"),
    );
  });

  it("prints the new version and each generated key once after an apply", () => {
    const text = formatApplyReport(plan, { dryRun: false, version: 42n, createdKeys: keys });
    expect(text.split("\n").slice(-2)).toEqual(["applied: configuration version 42", 'new virtual key "bot" (shown once, store it now): pck_generated']);
    expect(formatApplyReport(plan, { dryRun: false, version: "42", createdKeys: keys })).toBe(text);
  });

  it("prints only the plan when nothing was applied", () => {
    expect(formatApplyReport({ changes: [], unchanged: 5 }, { dryRun: false, version: undefined, createdKeys: [] })).toBe("0 change(s), 5 unchanged");
  });
});

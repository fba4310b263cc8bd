import { describe, expect, it } from "vitest";
import { jsonDiff } from "./json-diff";

describe("jsonDiff", () => {
  it("reports changed, added, removed and unchanged paths, nested objects flattened", () => {
    const rows = jsonDiff({ name: "a", limits: { rpm: 10 }, models: ["x"], gone: 1 }, { name: "a", limits: { rpm: 20, tpm: 5 }, models: ["x", "y"] });
    expect(rows).toEqual([
      { path: "gone", before: "1", after: undefined, change: "removed" },
      { path: "limits.rpm", before: "10", after: "20", change: "changed" },
      { path: "limits.tpm", before: undefined, after: "5", change: "added" },
      { path: "models", before: '["x"]', after: '["x","y"]', change: "changed" },
      { path: "name", before: '"a"', after: '"a"', change: "same" },
    ]);
  });

  it("treats a missing side as everything added or removed", () => {
    expect(jsonDiff(null, { a: true }).map((r) => r.change)).toEqual(["added"]);
    expect(jsonDiff({ a: true }, null).map((r) => r.change)).toEqual(["removed"]);
    expect(jsonDiff(null, null)).toEqual([]);
  });

  it("keeps empty objects and scalar documents visible", () => {
    expect(jsonDiff({ meta: {} }, { meta: { k: 1 } })).toEqual([
      { path: "meta", before: "{}", after: undefined, change: "removed" },
      { path: "meta.k", before: undefined, after: "1", change: "added" },
    ]);
    expect(jsonDiff(1, 2)).toEqual([{ path: "(value)", before: "1", after: "2", change: "changed" }]);
  });
});

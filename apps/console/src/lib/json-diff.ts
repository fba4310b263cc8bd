/** A flat, path-by-path comparison of two JSON values, for the audit log's before/after view. */
export interface DiffRow {
  path: string;
  before: string | undefined;
  after: string | undefined;
  change: "added" | "removed" | "changed" | "same";
}

function flatten(value: unknown, prefix: string, out: Map<string, string>): void {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0 && prefix) out.set(prefix, "{}");
    for (const [k, v] of entries) flatten(v, prefix ? `${prefix}.${k}` : k, out);
    return;
  }
  // Arrays stay whole: a list of models reads better as one value than index by index.
  out.set(prefix || "(value)", JSON.stringify(value));
}

export function jsonDiff(before: unknown, after: unknown): DiffRow[] {
  const a = new Map<string, string>();
  const b = new Map<string, string>();
  if (before !== null && before !== undefined) flatten(before, "", a);
  if (after !== null && after !== undefined) flatten(after, "", b);
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  return paths.map((path) => {
    const x = a.get(path);
    const y = b.get(path);
    const change = x === undefined ? "added" : y === undefined ? "removed" : x === y ? "same" : "changed";
    return { path, before: x, after: y, change };
  });
}

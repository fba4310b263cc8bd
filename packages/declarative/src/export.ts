import { stringify } from "yaml";
import type { ConfigDocument } from "./schema";

/** Empty lists, empty maps and default-valued fields are left out, so an export reads like a hand-written file. */
function prune(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(prune);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue;
      if (Array.isArray(v) && v.length === 0) continue;
      if (v && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 0) continue;
      out[k] = prune(v);
    }
    return out;
  }
  return value;
}

/**
 * The database's configuration as a file `apply` accepts. Secrets never appear:
 * virtual keys are stored only as hashes, and provider credentials appear only as
 * secret references (an encrypted value is omitted).
 */
export function exportDocument(doc: ConfigDocument): string {
  const header = "# Exported by `portcullis export`. Virtual key secrets and encrypted credentials are never exported.\n";
  return header + stringify(prune(doc), { lineWidth: 0 });
}

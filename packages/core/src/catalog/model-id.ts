import type { CatalogProvider } from "./provider-ids";

/** Bedrock cross-region inference profile prefixes (`us.anthropic...`, `global.anthropic...`). */
const bedrockProfilePrefix = /^(us|eu|apac|jp|au|ca|us-gov|global)\./;

export interface NormalizedModelId {
  /** Lower-cased id with transport decorations (ARNs, profile prefixes, resource paths) removed. */
  id: string;
  /** Bedrock only: the request used a `global.` inference profile. */
  globalProfile: boolean;
}

/** Reduces the many spellings of one model id to the one the catalog stores. */
export function normalizeModelId(provider: CatalogProvider, raw: string): NormalizedModelId {
  let id = raw.trim().toLowerCase();
  let globalProfile = false;
  if (provider === "bedrock") {
    // ARNs of foundation models and inference profiles end in "/<id>".
    if (id.startsWith("arn:")) id = id.slice(id.lastIndexOf("/") + 1);
    const prefix = bedrockProfilePrefix.exec(id);
    if (prefix) {
      globalProfile = prefix[1] === "global";
      id = id.slice(prefix[0].length);
    }
  }
  if (provider === "gemini" || provider === "vertex") {
    // "models/gemini-2.5-pro", "projects/p/locations/l/publishers/google/models/gemini-2.5-pro".
    const at = id.lastIndexOf("models/");
    if (at >= 0) id = id.slice(at + "models/".length);
  }
  return { id, globalProfile };
}

/**
 * Version decorations removed, repeatedly, from the end of an id, so a dated snapshot
 * finds its family: gpt-4o-2024-08-06, claude-haiku-4-5-20251001, claude-sonnet-4-5@20250929,
 * anthropic.claude-...-v1:0, gemini-2.0-flash-001, grok-4-0709, mistral-large-latest.
 */
const snapshotSuffixes = [
  /-v\d+(:\d+)?$/,
  /@[\w.-]+$/,
  /-\d{4}-\d{2}-\d{2}$/,
  /-\d{8}$/,
  /-\d{3,4}$/,
  /-latest$/,
];

export function stripSnapshot(id: string): string {
  let current = id;
  for (;;) {
    const next = snapshotSuffixes.reduce((s, pattern) => s.replace(pattern, ""), current);
    if (next === current || next.length === 0) return current;
    current = next;
  }
}

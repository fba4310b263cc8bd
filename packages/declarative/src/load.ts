import { readFileSync } from "node:fs";
import { isNode, LineCounter, parseDocument, type Document } from "yaml";
import type { z } from "zod";
import { configDocumentSchema, type ConfigDocument } from "./schema";

export type PathSegment = string | number;

/** One problem in a configuration file: where it is and why it is wrong. */
export interface ConfigProblem {
  file: string;
  path: PathSegment[];
  line?: number;
  column?: number;
  message: string;
}

export class ConfigFileError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(problems.map(formatProblem).join("\n"));
    this.name = "ConfigFileError";
  }
}

/** `teams[2].budgets[0].period` */
export function formatPath(path: readonly PathSegment[]): string {
  return path.reduce<string>((out, seg) => (typeof seg === "number" ? `${out}[${seg}]` : out ? `${out}.${seg}` : seg), "");
}

export function formatProblem(p: ConfigProblem): string {
  const where = p.line ? `${p.file}:${p.line}:${p.column ?? 1}` : p.file;
  const path = formatPath(p.path);
  return `${where}: ${path ? `${path}: ` : ""}${p.message}`;
}

export interface LoadedConfig {
  file: string;
  document: ConfigDocument;
  /** Locates a path in the source for problems found after parsing (references, conflicts). */
  locate(path: PathSegment[], message: string): ConfigProblem;
}

function locator(file: string, doc: Document, lines: LineCounter) {
  return (path: PathSegment[], message: string): ConfigProblem => {
    // Walk up to the nearest node that exists (a missing key is reported at its parent).
    for (let i = path.length; i >= 0; i--) {
      const node = doc.getIn(path.slice(0, i), true);
      if (isNode(node) && node.range) {
        const pos = lines.linePos(node.range[0]);
        return { file, path, line: pos.line, column: pos.col, message };
      }
    }
    return { file, path, message };
  };
}

function zodProblems(error: z.ZodError, locate: (p: PathSegment[], m: string) => ConfigProblem): ConfigProblem[] {
  return error.issues.map((issue) => {
    const path = issue.path.filter((s): s is PathSegment => typeof s !== "symbol");
    let message = issue.message;
    if (issue.code === "unrecognized_keys") message = `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(", ")}`;
    return locate(path, message);
  });
}

/** Parses and validates YAML text; every problem names the file, the path and the reason. */
export function parseConfig(file: string, text: string): LoadedConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length) {
    throw new ConfigFileError(
      doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        return { file, path: [], line: pos?.line, column: pos?.col, message: `invalid YAML: ${e.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "")}` };
      }),
    );
  }
  const locate = locator(file, doc, lines);
  const raw: unknown = doc.toJS();
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new ConfigFileError([{ file, path: [], line: 1, column: 1, message: "expected a mapping with `apiVersion: portcullis/v1`" }]);
  }
  const parsed = configDocumentSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigFileError(zodProblems(parsed.error, locate));
  const problems = duplicateProblems(parsed.data, locate);
  if (problems.length) throw new ConfigFileError(problems);
  return { file, document: parsed.data, locate };
}

/** The file's text; a file that cannot be read is a ConfigFileError like any other problem with it. */
export function readConfigText(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (e) {
    throw new ConfigFileError([{ file, path: [], message: `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` }]);
  }
}

export function loadConfigFile(file: string): LoadedConfig {
  return parseConfig(file, readConfigText(file));
}

function duplicateProblems(doc: ConfigDocument, locate: (p: PathSegment[], m: string) => ConfigProblem): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const check = <T>(section: string, items: readonly T[], keyOf: (t: T) => string, label: string, base: PathSegment[] = []) => {
    const seen = new Map<string, number>();
    items.forEach((item, i) => {
      const key = keyOf(item);
      const first = seen.get(key);
      if (first !== undefined) problems.push(locate([...base, section, i], `duplicate ${label} "${key}" (first at ${formatPath([...base, section, first])})`));
      else seen.set(key, i);
    });
  };
  check("providers", doc.providers, (p) => p.name, "provider");
  doc.providers.forEach((p, i) => check("keys", p.keys, (k) => k.name, "provider key", ["providers", i]));
  check("prices", doc.prices, (p) => `${p.provider}/${p.model}@${p.effectiveFrom}`, "price");
  check("customers", doc.customers, (c) => c.name, "customer");
  check("teams", doc.teams, (t) => t.slug, "team");
  check("virtualKeys", doc.virtualKeys, (k) => k.name, "virtual key");
  check("headers", doc.headers, (h) => h.name, "header");
  check("tenants", doc.tenants, (t) => t.id, "tenant");
  check("aliases", doc.aliases, (a) => a.alias, "alias");
  check("routingRules", doc.routingRules, (r) => r.name, "routing rule");
  const tenantHeaders = doc.headers.map((h, i) => [h, i] as const).filter(([h]) => h.tenant);
  for (const [, i] of tenantHeaders.slice(1)) problems.push(locate(["headers", i, "tenant"], `only one header can name the tenant (first at ${formatPath(["headers", tenantHeaders[0]![1]])})`));
  const owners: Array<[PathSegment[], { budgets: { period: string }[]; rateLimits: { windowSeconds: number }[] }]> = [
    ...doc.customers.map((c, i) => [["customers", i], c] as [PathSegment[], typeof c]),
    ...doc.teams.map((t, i) => [["teams", i], t] as [PathSegment[], typeof t]),
    ...doc.virtualKeys.map((k, i) => [["virtualKeys", i], k] as [PathSegment[], typeof k]),
    ...doc.tenants.map((t, i) => [["tenants", i], t] as [PathSegment[], typeof t]),
    ...doc.providers.flatMap((p, i) => p.keys.map((k, j) => [["providers", i, "keys", j], k] as [PathSegment[], typeof k])),
  ];
  for (const [base, owner] of owners) {
    check("budgets", owner.budgets, (b) => b.period, "budget period", base);
    check("rateLimits", owner.rateLimits, (r) => `${r.windowSeconds}s window`, "rate limit", base);
  }
  return problems;
}

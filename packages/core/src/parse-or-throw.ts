import type { z } from "zod";
import { PortcullisError } from "./errors";

type Issue = z.core.$ZodIssue;
type PathKey = PropertyKey;

/** `["messages", 2, "content"]` -> `messages[2].content`. */
export function formatFieldPath(path: readonly PathKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out;
}

function maxDepth(issues: readonly Issue[]): number {
  let depth = -1;
  for (const i of issues) depth = Math.max(depth, i.path.length);
  return depth;
}

/**
 * A failed union reports every branch. The useful one is the branch that got
 * furthest into the value (an array of bad parts beats "not a string"); when
 * every branch failed at the union itself, the union's own message is clearer.
 */
function pickUnionBranch(issue: Issue & { code: "invalid_union" }): Issue | undefined {
  let best: Issue | undefined;
  let bestDepth = 0;
  for (const branch of issue.errors) {
    const depth = maxDepth(branch);
    const deepest = branch.find((i) => i.path.length === depth);
    const onlyTypeMismatch = depth === 0 && branch.every((i) => i.code === "invalid_type");
    if (!deepest || onlyTypeMismatch) continue;
    if (best === undefined || depth > bestDepth) {
      best = deepest;
      bestDepth = depth;
    }
  }
  return best;
}

function describe(issue: Issue, input: unknown): string {
  switch (issue.code) {
    case "invalid_type":
      return input === undefined ? "required" : `expected ${issue.expected}, received ${typeName(input)}`;
    case "invalid_union":
      // A discriminated union whose tag matched no option (zod puts the path on the tag).
      if ("options" in issue && issue.options && issue.discriminator !== undefined) {
        const seen = input === undefined ? "missing" : JSON.stringify(input);
        return `unsupported ${issue.discriminator} ${seen}; expected one of ${issue.options.map(String).join(", ")}`;
      }
      return issue.message;
    default:
      return issue.message.replace(/^Invalid input: /, "");
  }
}

function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number" && !Number.isInteger(v)) return "non-integer number";
  return typeof v;
}

function valueAt(root: unknown, path: readonly PathKey[]): unknown {
  let cur: unknown = root;
  for (const key of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

export interface FieldIssue {
  /** Dotted path with array indexes, e.g. `messages[2].content`. */
  param: string;
  /** `messages[2].content: expected string or array`. */
  message: string;
}

/** Resolves one zod issue (descending into unions) to a field path and a plain message. */
export function describeIssue(issue: Issue, input: unknown, prefix: readonly PathKey[] = []): FieldIssue {
  const path = [...prefix, ...issue.path];
  if (issue.code === "invalid_union") {
    const branch = pickUnionBranch(issue);
    if (branch) return describeIssue(branch, input, path);
  }
  const param = formatFieldPath(path);
  const text = describe(issue, valueAt(input, path));
  return { param, message: param === "" ? text : `${param}: ${text}` };
}

/**
 * Validates an inbound body. Throws `invalid_field` naming the first bad field
 * (`param`) and listing up to ten issues in `details`.
 */
export function parseOrThrow<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issues = result.error.issues.slice(0, 10).map((i) => describeIssue(i, body));
  const first = issues[0] ?? { param: "", message: "invalid request body" };
  throw new PortcullisError({
    code: "invalid_field",
    message: first.message,
    ...(first.param ? { param: first.param } : {}),
    details: { issues },
  });
}

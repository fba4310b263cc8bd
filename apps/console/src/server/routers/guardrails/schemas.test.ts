import { describe, expect, it } from "vitest";
import { z } from "zod";
import { guardrailPolicySchema, updateGuardrailSchema } from "./schemas";

const base = { name: "no-secrets" };
const issuesOf = (input: unknown) => {
  const r = guardrailPolicySchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
};

describe("guardrail policy validation", () => {
  it("accepts one valid policy of each kind, with defaults filled in", () => {
    const ok = [
      { kind: "pii", config: { entities: ["email", "email", "credit_card"], action: "redact" }, mode: "redact" },
      { kind: "regex", config: { patterns: ["\\bACME-\\d{4}\\b"] } },
      { kind: "keywords", config: { keywords: ["project-x", "project-x"] }, mode: "log" },
      { kind: "prompt-injection", config: { sensitivity: "high" } },
      { kind: "webhook", config: { url: "https://guard.example.test/check", timeoutMs: 800, authRef: "env://GUARD_TOKEN" }, failOpen: true },
    ];
    for (const p of ok) expect(issuesOf({ ...base, ...p }), p.kind).toEqual([]);
    const pii = guardrailPolicySchema.parse({ ...base, ...ok[0] });
    expect(pii).toMatchObject({ config: { entities: ["email", "credit_card"] }, stage: "input", scopeType: "global", scopeId: "", failOpen: false, enabled: true, priority: 100 });
    expect(guardrailPolicySchema.parse({ ...base, ...ok[2] }).config).toEqual({ keywords: ["project-x"], caseSensitive: false });
  });

  it("refuses a regex that does not compile, naming the pattern", () => {
    expect(issuesOf({ ...base, kind: "regex", config: { patterns: ["ok", "(unclosed"] } })).toEqual([
      { path: "config.patterns.1", message: expect.stringMatching(/^Does not compile: /) },
    ]);
  });

  it("refuses a webhook that is not https or whose timeout is out of range", () => {
    const issues = issuesOf({ ...base, kind: "webhook", config: { url: "http://guard.example.test/check", timeoutMs: 10 } });
    expect(issues.map((i) => i.path).sort()).toEqual(["config.timeoutMs", "config.url"]);
    expect(issues.find((i) => i.path === "config.url")?.message).toBe("Enter an https:// URL");
  });

  it("refuses empty PII entity lists, unknown entities, empty keyword lists and unknown sensitivities", () => {
    expect(issuesOf({ ...base, kind: "pii", config: { entities: [], action: "block" } }).map((i) => i.path)).toEqual(["config.entities"]);
    expect(issuesOf({ ...base, kind: "pii", config: { entities: ["dna"], action: "block" } }).map((i) => i.path)).toEqual(["config.entities.0"]);
    expect(issuesOf({ ...base, kind: "keywords", config: { keywords: [] } }).map((i) => i.path)).toEqual(["config.keywords"]);
    expect(issuesOf({ ...base, kind: "prompt-injection", config: { sensitivity: "paranoid" } }).map((i) => i.path)).toEqual(["config.sensitivity"]);
    expect(issuesOf({ ...base, kind: "toxicity", config: {} }).map((i) => i.path)).toEqual(["kind"]);
  });

  it("checks rules across fields: scope id, redaction, the PII action", () => {
    expect(issuesOf({ ...base, kind: "prompt-injection", config: { sensitivity: "low" }, mode: "redact" })).toEqual([{ path: "mode", message: "A prompt-injection check cannot redact: use block or log" }]);
    expect(issuesOf({ ...base, kind: "pii", config: { entities: ["email"], action: "block" }, mode: "redact" })).toEqual([{ path: "mode", message: "The mode must be block (the PII action) or log" }]);
    expect(issuesOf({ ...base, kind: "pii", config: { entities: ["email"], action: "block" }, mode: "log" })).toEqual([]);
    expect(issuesOf({ ...base, kind: "keywords", config: { keywords: ["x"] }, scopeType: "team" })).toEqual([{ path: "scopeId", message: "Choose what the policy applies to" }]);
    expect(issuesOf({ ...base, kind: "keywords", config: { keywords: ["x"] }, scopeId: "team_1" })).toEqual([{ path: "scopeId", message: "A global policy names no scope" }]);
  });

  it("flattens nested config errors onto the config field for the form", () => {
    const r = guardrailPolicySchema.safeParse({ ...base, kind: "regex", config: { patterns: ["["] } });
    expect(r.success).toBe(false);
    expect(z.flattenError(r.error!).fieldErrors).toHaveProperty("config");
  });

  it("takes partial updates", () => {
    expect(updateGuardrailSchema.parse({ id: "gr_1", enabled: false })).toEqual({ id: "gr_1", enabled: false });
  });
});

import { describe, expect, it } from "vitest";
import { ConfigFileError, formatPath, parseConfig } from "./load";

function problemsOf(text: string): string[] {
  try {
    parseConfig("cfg.yaml", text);
  } catch (e) {
    if (e instanceof ConfigFileError) return e.message.split("\n");
    throw e;
  }
  return [];
}

describe("configuration file loading", () => {
  it("accepts a minimal file and fills defaults", () => {
    const { document } = parseConfig("cfg.yaml", "apiVersion: portcullis/v1\nteams:\n  - slug: ml\n    name: ML\n    budgets: [{ limit: 5, period: month }]\n");
    expect(document.teams[0]!.budgets[0]).toEqual({ limit: 5, period: "month", timeZone: "UTC", calendarAligned: true, softThresholdPct: 80, enabled: true });
    expect(document.providers).toEqual([]);
  });

  it("names file, line, column, path and reason for schema errors", () => {
    const text = [
      "apiVersion: portcullis/v1",
      "providers:",
      "  - name: openai",
      "    type: opnai",
      "    keys:",
      "      - name: prod",
      "        credential: sk-live-123",
      "teams:",
      "  - slug: ml",
      "    name: ML",
      "    budgets:",
      "      - { limit: 5, period: fortnight, timeZone: Mars/Olympus }",
      "    colour: blue",
    ].join("\n");
    const problems = problemsOf(text);
    expect(problems).toEqual([
      expect.stringMatching(/^cfg\.yaml:4:11: providers\[0\]\.type: Invalid option/),
      "cfg.yaml:7:21: providers[0].keys[0].credential: must be a secret reference (env://, file://, vault://, aws-sm://, gcp-sm://, azure-kv://), never the secret itself",
      expect.stringMatching(/^cfg\.yaml:12:29: teams\[0\]\.budgets\[0\]\.period: Invalid option/),
      "cfg.yaml:12:50: teams[0].budgets[0].timeZone: unknown IANA time zone",
      'cfg.yaml:9:5: teams[0]: unknown field(s) "colour"',
    ]);
  });

  it("reports YAML syntax errors and duplicate keys with their position", () => {
    expect(problemsOf("apiVersion: portcullis/v1\nteams:\n  - slug: x\n    slug: y\n    name: X\n")).toEqual(["cfg.yaml:4:5: invalid YAML: Map keys must be unique"]);
    expect(problemsOf("apiVersion: portcullis/v1\nteams: [\n")[0]).toMatch(/^cfg\.yaml:\d+:\d+: invalid YAML: /);
  });

  it("requires the apiVersion and a mapping at the top", () => {
    expect(problemsOf("- a\n- b\n")).toEqual(["cfg.yaml:1:1: expected a mapping with `apiVersion: portcullis/v1`"]);
    expect(problemsOf("teams: []\n")).toEqual([expect.stringMatching(/^cfg\.yaml:1:1: apiVersion: Invalid input: expected "portcullis\/v1"/)]);
  });

  it("finds duplicates by natural key and says where the first one is", () => {
    const text = "apiVersion: portcullis/v1\nteams:\n  - { slug: ml, name: A }\n  - { slug: ml, name: B }\nvirtualKeys:\n  - name: k\n    budgets: [{ limit: 1, period: day }, { limit: 2, period: day }]\n";
    expect(problemsOf(text)).toEqual([
      'cfg.yaml:4:5: teams[1]: duplicate team "ml" (first at teams[0])',
      'cfg.yaml:7:42: virtualKeys[0].budgets[1]: duplicate budget period "day" (first at virtualKeys[0].budgets[0])',
    ]);
  });

  it("formats paths", () => {
    expect(formatPath(["teams", 2, "budgets", 0, "period"])).toBe("teams[2].budgets[0].period");
    expect(formatPath([])).toBe("");
  });
});

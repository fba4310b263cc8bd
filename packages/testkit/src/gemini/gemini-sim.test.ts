import { describe, expect, it } from "vitest";
import { think } from "./brain";
import { validateGenerate } from "./validate";

describe("simulated model", () => {
  const turn = (text: string) => ({ role: "user" as const, text });
  it("echoes, calls a named or forced tool, and answers tool results", () => {
    expect(think({ system: "", turns: [turn("hi there")], tools: [] })).toEqual({ text: "Echo: hi there", finish: "stop", promptTokens: 2, completionTokens: 4 });
    expect(think({ system: "", turns: [turn("use calc now")], tools: ["calc"] }).toolCall).toEqual({ name: "calc", args: { query: "use calc now" } });
    expect(think({ system: "", turns: [turn("anything")], tools: ["a", "b"], forceTool: "any" }).toolCall?.name).toBe("a");
    expect(think({ system: "", turns: [{ role: "user", text: "", toolResults: ["42"] }], tools: ["calc"], forceTool: "any" }).text).toBe("Tool said: 42");
  });

  it("truncates at maxTokens and cuts at stop sequences", () => {
    expect(think({ system: "", turns: [turn("a b c d")], tools: [], maxTokens: 2 })).toMatchObject({ text: "Echo: a ", finish: "length", completionTokens: 2 });
    expect(think({ system: "", turns: [turn("a b STOP c")], tools: [], stop: ["STOP"] })).toMatchObject({ text: "Echo: a b ", finish: "stop_sequence" });
  });
});

describe("Gemini request validation", () => {
  const ok = { contents: [{ role: "user", parts: [{ text: "x" }] }] };
  it("accepts a plain request and rejects what Google rejects", () => {
    expect(validateGenerate(ok, "gemini-2.5-flash")).toBeUndefined();
    expect(validateGenerate({ ...ok, generation_config: {} } as never, "m")).toBeUndefined();
    expect(validateGenerate({ ...ok, temperature: 1 } as never, "m")).toBe('Invalid JSON payload received. Unknown name "temperature": Cannot find field.');
    expect(validateGenerate({ contents: [] }, "m")).toMatch(/contents is not specified/);
    expect(validateGenerate({ contents: [{ role: "assistant", parts: [{ text: "x" }] }] }, "m")).toBe("Please use a valid role: user, model.");
    expect(validateGenerate({ contents: [{ role: "user", parts: [{ functionResponse: { name: "f", response: {} } }] }] }, "m"))
      .toBe("Please ensure that function response turn comes immediately after a function call turn.");
    const call = { role: "model", parts: [{ functionCall: { name: "f", args: {} } }] };
    expect(validateGenerate({ contents: [ok.contents[0]!, call] }, "gemini-3-flash-preview")).toMatch(/missing a thought_signature/);
    expect(validateGenerate({ contents: [ok.contents[0]!, call] }, "gemini-2.5-pro")).toBeUndefined();
  });
});

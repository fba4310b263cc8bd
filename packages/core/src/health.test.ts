import { describe, expect, it } from "vitest";
import { probe, summarizeReadiness } from "./health";

describe("health", () => {
  it("is not ready when a required dependency is down, degraded when an optional one is", () => {
    expect(summarizeReadiness([{ name: "db", state: "down", required: true }]).ready).toBe(false);
    const r = summarizeReadiness([{ name: "redis", state: "down", required: false }, { name: "config", state: "up", required: true }]);
    expect(r).toMatchObject({ ready: true, mode: "degraded" });
  });
  it("turns a thrown or hung probe into `down` with the reason", async () => {
    expect(await probe("x", true, async () => { throw new Error("refused"); })).toMatchObject({ state: "down", detail: "refused" });
    const hung = await probe("y", true, () => new Promise(() => {}), 20);
    expect(hung).toMatchObject({ state: "down", detail: "no answer within 20 ms" });
  });
});

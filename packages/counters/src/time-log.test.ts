import { describe, expect, it } from "vitest";
import { TimeLog } from "./time-log";

describe("TimeLog", () => {
  it("keeps entries sorted by time, moves an id on re-add, and trims inclusively", () => {
    const log = new TimeLog();
    log.add("a", 10);
    log.add("b", 30);
    log.add("c", 20);
    log.add("a", 40);
    expect([0, 1, 2].map((i) => [log.idAt(i), log.timeAt(i)])).toEqual([["c", 20], ["b", 30], ["a", 40]]);
    const removed: string[] = [];
    log.trimTo(30, (id) => removed.push(id));
    expect(removed).toEqual(["c", "b"]);
    expect(log.size).toBe(1);
    expect(log.remove("a")).toBe(true);
    expect(log.remove("a")).toBe(false);
    expect(log.size).toBe(0);
  });

  it("stays correct across compaction", () => {
    const log = new TimeLog();
    for (let i = 0; i < 5_000; i++) log.add(`id${i}`, i);
    log.trimTo(2_999);
    expect(log.size).toBe(2_000);
    expect([log.idAt(0), log.timeAt(0)]).toEqual(["id3000", 3_000]);
    log.add("late", 3_500.5);
    expect(log.remove("id3500")).toBe(true);
    expect(log.idAt(500)).toBe("late");
    expect(log.has("id2999")).toBe(false);
  });
});

import { describe, expect, it } from "vitest";
import { isDataError, pgErrorCode } from "./pg-errors";

describe("pgErrorCode / isDataError", () => {
  it("finds the SQLSTATE however Prisma wrapped it", () => {
    expect(pgErrorCode({ code: "P2010", meta: { code: "22003" } })).toBe("22003");
    expect(pgErrorCode({ cause: { originalCode: "23502" } })).toBe("23502");
    expect(pgErrorCode(new Error("connect ECONNREFUSED"))).toBeUndefined();
  });
  it("splits data errors (retrying cannot help) from transient ones", () => {
    expect(isDataError({ meta: { code: "22P02" } })).toBe(true);
    expect(isDataError({ meta: { code: "23502" } })).toBe(true);
    expect(isDataError({ meta: { code: "23505" } })).toBe(false); // another worker stored it: retry skips
    expect(isDataError({ meta: { code: "40P01" } })).toBe(false);
    expect(isDataError({ meta: { code: "57P01" } })).toBe(false);
    expect(isDataError(new Error("timeout"))).toBe(false);
  });
});

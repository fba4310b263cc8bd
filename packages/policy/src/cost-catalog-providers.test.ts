import { catalogProviders, modelCatalog } from "@portcullis/core";
import { describe, expect, it } from "vitest";
// Policy does not depend on providers; the relative import keeps this guard test-only
// until the provider list moves into core.
import { providerTypes } from "../../providers/src/types";

describe("catalog provider ids", () => {
  it("are exactly the provider adapter ids", () => {
    expect([...catalogProviders].sort()).toEqual([...providerTypes].sort());
  });

  it("cover every provider an entry names", () => {
    const known = new Set<string>(providerTypes);
    const unknown = modelCatalog.filter((e) => !known.has(e.provider)).map((e) => `${e.provider}/${e.model}`);
    expect(unknown).toEqual([]);
  });
});

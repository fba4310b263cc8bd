import { describe, expect, it } from "vitest";
import { extractGroups, mapGroupsToBindings, type GroupMapping } from "./groups";

describe("extractGroups", () => {
  it("reads a list of names", () => {
    expect(extractGroups({ groups: ["eng", "sec"] }, "groups")).toEqual(["eng", "sec"]);
  });

  it("accepts a single string, trims, drops blanks, non-strings and duplicates", () => {
    expect(extractGroups({ groups: " eng " }, "groups")).toEqual(["eng"]);
    expect(extractGroups({ groups: ["eng", "", 7, null, "eng", " sec"] }, "groups")).toEqual(["eng", "sec"]);
  });

  it("takes the keys of ZITADEL's project-roles object", () => {
    const claims = { "urn:zitadel:iam:org:project:roles": { admin: { "123": "acme.zitadel.cloud" }, finance: {} } };
    expect(extractGroups(claims, "urn:zitadel:iam:org:project:roles")).toEqual(["admin", "finance"]);
  });

  it("follows a dotted path such as Keycloak's realm_access.roles", () => {
    expect(extractGroups({ realm_access: { roles: ["offline_access", "ops"] } }, "realm_access.roles")).toEqual([
      "offline_access",
      "ops",
    ]);
  });

  it("returns nothing when the claim is absent", () => {
    expect(extractGroups({ sub: "x" }, "groups")).toEqual([]);
    expect(extractGroups({ a: 1 }, "a.b.c")).toEqual([]);
  });
});

describe("mapGroupsToBindings", () => {
  const mappings: GroupMapping[] = [
    { groupName: "portcullis-owners", roleId: "role_owner", teamId: null },
    { groupName: "payments-devs", roleId: "role_dev", teamId: "team_pay" },
    { groupName: "payments-leads", roleId: "role_dev", teamId: "team_pay" },
    { groupName: "search-devs", roleId: "role_dev", teamId: "team_search" },
  ];

  it("grants the bindings of the groups the user is in, once each", () => {
    expect(mapGroupsToBindings(["payments-devs", "payments-leads", "marketing"], mappings)).toEqual([
      { roleId: "role_dev", teamId: "team_pay" },
    ]);
  });

  it("keeps global and team scopes apart", () => {
    expect(mapGroupsToBindings(["portcullis-owners", "search-devs"], mappings)).toEqual([
      { roleId: "role_owner", teamId: null },
      { roleId: "role_dev", teamId: "team_search" },
    ]);
  });

  it("matches group names exactly", () => {
    expect(mapGroupsToBindings(["Portcullis-Owners", "payments"], mappings)).toEqual([]);
  });

  it("grants nothing without groups", () => {
    expect(mapGroupsToBindings([], mappings)).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import { resolveOidcConfig, type OidcConfig } from "./oidc-presets";

const client = { clientId: "console", clientSecret: "s3cret" };

function resolved(input: Parameters<typeof resolveOidcConfig>[0]): OidcConfig {
  const config = resolveOidcConfig(input);
  if (!config || "error" in config) throw new Error(`expected a configuration, got ${JSON.stringify(config)}`);
  return config;
}

describe("resolveOidcConfig", () => {
  it("is null when no client is configured (SSO off)", () => {
    expect(resolveOidcConfig({ preset: "generic", issuer: "https://idp.example" })).toBeNull();
  });

  it("strips trailing slashes and derives the well-known URL", () => {
    const config = resolved({ preset: "generic", issuer: "https://idp.example/realms/x//", ...client });
    expect(config.issuer).toBe("https://idp.example/realms/x");
    expect(config.wellKnown).toBe("https://idp.example/realms/x/.well-known/openid-configuration");
    expect(config.groupsClaim).toBe("groups");
    expect(config.scopes).toBe("openid email profile");
  });

  it("asks Okta for the groups scope", () => {
    expect(resolved({ preset: "okta", issuer: "https://acme.okta.com", ...client }).scopes).toContain("groups");
  });

  it("builds the Entra issuer from the tenant and falls back to the UPN for e-mail", () => {
    const config = resolved({ preset: "entra", tenantId: "0000-tenant", ...client });
    expect(config.issuer).toBe("https://login.microsoftonline.com/0000-tenant/v2.0");
    expect(config.emailClaims).toEqual(["email", "preferred_username", "upn"]);
  });

  it("uses ZITADEL's project roles claim and scope", () => {
    const config = resolved({ preset: "zitadel", issuer: "https://acme.zitadel.cloud", ...client });
    expect(config.groupsClaim).toBe("urn:zitadel:iam:org:project:roles");
    expect(config.scopes).toContain("urn:zitadel:iam:org:project:roles");
  });

  it("defaults Google's issuer", () => {
    expect(resolved({ preset: "google", ...client }).issuer).toBe("https://accounts.google.com");
  });

  it("lets explicit settings override the preset", () => {
    const config = resolved({
      preset: "keycloak",
      issuer: "https://kc.example/realms/acme",
      groupsClaim: "realm_access.roles",
      scopes: "openid email",
      displayName: "Acme SSO",
      ...client,
    });
    expect(config).toMatchObject({ groupsClaim: "realm_access.roles", scopes: "openid email", displayName: "Acme SSO" });
  });

  it("names what is missing when the issuer cannot be known", () => {
    expect(resolveOidcConfig({ preset: "entra", ...client })).toEqual({ error: expect.stringContaining("OIDC_TENANT_ID") });
    expect(resolveOidcConfig({ preset: "keycloak", ...client })).toEqual({ error: expect.stringContaining("/realms/") });
  });
});

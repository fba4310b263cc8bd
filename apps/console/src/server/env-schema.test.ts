import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./env-schema";

const base = {
  DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/portcullis",
  NEXTAUTH_URL: "http://localhost:3000",
  NEXTAUTH_SECRET: "x".repeat(32),
  PORTCULLIS_KEY_PEPPER: "p".repeat(32),
};

describe("parseEnv", () => {
  it("applies defaults", () => {
    const env = parseEnv(base);
    expect(env).toMatchObject({
      DATABASE_POOL_MAX: 10,
      CONSOLE_SESSION_TTL_SECONDS: 43_200,
      OIDC_PRESET: "generic",
      BOOTSTRAP_ADMIN_EMAIL: "admin@portcullis.local",
    });
    expect(env.REDIS_URL).toBeUndefined();
    expect(env.OIDC_CLIENT_ID).toBeUndefined();
  });

  it("treats empty strings as unset", () => {
    expect(parseEnv({ ...base, REDIS_URL: "", OIDC_ISSUER: "  " }).REDIS_URL).toBeUndefined();
  });

  it("fails closed, naming every missing variable without echoing values", () => {
    let error: unknown;
    try {
      parseEnv({ NEXTAUTH_SECRET: "short-but-secret" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EnvError);
    const message = (error as Error).message;
    expect(message).toContain("DATABASE_URL");
    expect(message).toContain("NEXTAUTH_URL");
    expect(message).toContain("NEXTAUTH_SECRET must be at least 32 characters");
    expect(message).not.toContain("short-but-secret");
  });

  it("requires the key pepper, never echoing it", () => {
    const { PORTCULLIS_KEY_PEPPER: _omit, ...rest } = base;
    expect(() => parseEnv(rest)).toThrow(/PORTCULLIS_KEY_PEPPER is required/);
    expect(() => parseEnv({ ...base, PORTCULLIS_KEY_PEPPER: "tooshortpepper" })).toThrow(/at least 32/);
  });

  it("requires NEXTAUTH_SECRET", () => {
    const { NEXTAUTH_SECRET: _omit, ...rest } = base;
    expect(() => parseEnv(rest)).toThrow(/NEXTAUTH_SECRET is required/);
  });

  it("refuses half an OIDC client and an issuer a preset cannot derive", () => {
    expect(() => parseEnv({ ...base, OIDC_CLIENT_ID: "console" })).toThrow(/OIDC_CLIENT_ID and OIDC_CLIENT_SECRET/);
    expect(() => parseEnv({ ...base, OIDC_PRESET: "entra", OIDC_CLIENT_ID: "c", OIDC_CLIENT_SECRET: "s" })).toThrow(
      /OIDC_TENANT_ID/,
    );
    expect(() => parseEnv({ ...base, OIDC_PRESET: "auth0" })).toThrow(/OIDC_PRESET/);
  });

  it("accepts a complete OIDC configuration", () => {
    const env = parseEnv({
      ...base,
      OIDC_PRESET: "keycloak",
      OIDC_ISSUER: "https://kc.example/realms/acme",
      OIDC_CLIENT_ID: "console",
      OIDC_CLIENT_SECRET: "s",
    });
    expect(env.OIDC_PRESET).toBe("keycloak");
  });
});

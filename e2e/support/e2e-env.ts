/**
 * Fixed addresses of the e2e run, shared by playwright.config.ts (which hands the OIDC
 * client to the console), the global setup (which starts the services) and the specs.
 */
export const e2eConsole = { port: 3100, url: "http://localhost:3100" } as const;
export const e2eGateway = { port: 4100, url: "http://localhost:4100" } as const;

export const e2eIdp = {
  port: 4400,
  issuer: "http://localhost:4400",
  clientId: "portcullis-console",
  clientSecret: "e2e-only-client-secret",
  redirectUri: `${e2eConsole.url}/api/auth/callback/oidc`,
} as const;

/** The OpenAI simulator the specs register as a provider; it accepts only this API key. */
export const e2eUpstream = { port: 4510, url: "http://127.0.0.1:4510", apiKey: "sk-e2e-upstream-credential" } as const;

import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";
import { e2eIdp } from "./e2e/support/e2e-env";

/**
 * End-to-end tests drive the whole product as a user gets it: `pnpm start` in embedded
 * mode (PGlite, in-process bus, console and gateway in one process) on ports that do
 * not collide with a developer's running instance.
 */
export const consolePort = 3100;
export const gatewayPort = 4100;
export const consoleUrl = `http://localhost:${consolePort}`;

// A fresh data directory per run (outside test-results, which Playwright empties at start).
// The config is loaded by the runner and again by each worker: the runner picks the
// directory once and workers inherit it through the environment. It is left in place
// after the run for post-mortems (the product's logs and database live there).
if (!process.env.PORTCULLIS_E2E_DATA_DIR) {
  process.env.PORTCULLIS_E2E_DATA_DIR = mkdtempSync(path.join(os.tmpdir(), "portcullis-e2e-"));
}
export const dataDir = process.env.PORTCULLIS_E2E_DATA_DIR;

export default defineConfig({
  testDir: "./e2e",
  outputDir: "test-results",
  // The in-process OpenID provider and OpenAI simulator (see e2e/support/global-setup.ts).
  globalSetup: "./e2e/support/global-setup.ts",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [["list"], ["html", { outputFolder: "playwright-report", open: "never" }]],
  use: {
    baseURL: consoleUrl,
    browserName: "chromium",
    screenshot: "on",
    trace: "retain-on-failure",
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      // Debian's Chromium here; set CHROMIUM_PATH to use another (e.g. Playwright's own build).
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--no-first-run",
      ],
    },
  },
  webServer: {
    // `env -u`: a DATABASE_URL or REDIS_URL in the developer's shell would switch the launcher to
    // the distributed setup; these tests are about the embedded one.
    command: "env -u DATABASE_URL -u REDIS_URL pnpm start",
    url: `${consoleUrl}/healthz`,
    env: {
      PORTCULLIS_DATA_DIR: dataDir,
      CONSOLE_PORT: String(consolePort),
      GATEWAY_PORT: String(gatewayPort),
      // SSO through the test IdP that globalSetup starts (the console fetches its discovery document at sign-in, not at boot).
      OIDC_ISSUER: e2eIdp.issuer,
      OIDC_CLIENT_ID: e2eIdp.clientId,
      OIDC_CLIENT_SECRET: e2eIdp.clientSecret,
    },
    // The first run builds the console (`next build`) before it can answer; on a busy 2-core machine that can take minutes.
    timeout: 600_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
  },
});

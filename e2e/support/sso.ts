import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, type Page } from "@playwright/test";
import { e2eConsole, e2eGateway } from "./e2e-env";
import { dataDir } from "./product";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

/**
 * Starts an SSO sign-in from the console's sign-in page and completes the test IdP's login
 * form (any password), accepting its consent screen if it shows one, until the browser is
 * back on the console (signed in, or refused on the sign-in page).
 */
export async function loginThroughIdp(page: Page, sub: string): Promise<void> {
  await page.goto("/signin");
  await page.getByRole("button", { name: /^Sign in with/ }).click();
  await page.locator('input[name="login"]').fill(sub);
  await page.locator('input[name="password"]').fill("any-password-works-here");
  await page.getByRole("button", { name: "Sign-in" }).click();
  await expect
    .poll(
      async () => {
        if (new URL(page.url()).origin === e2eConsole.url) return true;
        const consent = page.getByRole("button", { name: "Continue" });
        if (await consent.isVisible()) await consent.click();
        return false;
      },
      { timeout: 20_000, message: "the IdP should send the browser back to the console" },
    )
    .toBe(true);
}

export async function signInWithSso(page: Page, sub: string): Promise<void> {
  await loginThroughIdp(page, sub);
  await expect(page.getByTestId("signed-in-user")).toBeVisible();
}

/** Runs the CLI against the running embedded install and returns what it printed. */
export function runCli(args: string[]): string {
  const env: NodeJS.ProcessEnv = { ...process.env, PORTCULLIS_DATA_DIR: dataDir(), CONSOLE_PORT: String(e2eConsole.port) };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  const r = spawnSync("pnpm", ["--silent", "portcullis", ...args], { cwd: repoRoot, env, encoding: "utf8", timeout: 120_000 });
  if (r.status !== 0) throw new Error(`portcullis ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/** A fresh break-glass link for the bootstrap admin (`portcullis bootstrap --force`). */
export function breakGlassLink(): string {
  const link = /(https?:\/\/\S+\/bootstrap\?token=\S+)/.exec(runCli(["bootstrap", "--force"]))?.[1];
  if (!link) throw new Error("portcullis bootstrap printed no link");
  return link;
}

export async function signInAsBootstrapAdmin(page: Page): Promise<void> {
  await page.goto(breakGlassLink());
  await page.getByRole("button", { name: "Continue as first administrator" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
}

/** One chat completion through the gateway with a virtual key. */
export async function chatThroughGateway(secret: string, model = "gpt-4o-mini"): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${e2eGateway.url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
    body: JSON.stringify({ model, messages: [{ role: "user", content: "Say hello" }], max_tokens: 16 }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Retries `probe` until it returns true (the gateway picks configuration up within about a second). */
export async function eventually(probe: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

import { readFile } from "node:fs/promises";
import path from "node:path";
import { expect, type Page, type TestInfo } from "@playwright/test";

/** The data directory `pnpm start` runs on in this test run (chosen in playwright.config.ts). */
export function dataDir(): string {
  const dir = process.env.PORTCULLIS_E2E_DATA_DIR;
  if (!dir) throw new Error("PORTCULLIS_E2E_DATA_DIR is not set: run the tests through playwright.config.ts");
  return dir;
}

/**
 * The one-time first-admin link the launcher wrote for this data directory. The launcher
 * writes it just after the console starts answering, so give it a moment.
 */
export async function readFirstLoginUrl(timeoutMs = 30_000): Promise<string> {
  const file = path.join(dataDir(), "first-login-url.txt");
  const deadline = Date.now() + timeoutMs;
  let text: string | undefined;
  while (text === undefined) {
    text = await readFile(file, "utf8").catch((e: unknown) => {
      if (Date.now() > deadline) throw new Error(`the launcher did not write ${file}: ${(e as Error).message}`);
      return undefined;
    });
    if (text === undefined) await new Promise((r) => setTimeout(r, 250));
  }
  const url = text.trim();
  expect(url, `${file} should hold one URL`).toMatch(/^https?:\/\/\S+\/bootstrap\?token=\S+$/);
  return url;
}

/** Attaches a full-page screenshot to the test's report under `name`. */
export async function snap(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const body = await page.screenshot({ fullPage: true, path: testInfo.outputPath(`${name}.png`) });
  await testInfo.attach(name, { body, contentType: "image/png" });
}

import { expect, test } from "@playwright/test";
import { readFirstLoginUrl, snap } from "../support/product";

// One product instance and one one-time link: these steps build on each other.
test.describe.configure({ mode: "serial" });

const numberFormat = new Intl.NumberFormat("en");

test("the sign-in page renders and guards the console", async ({ page }, testInfo) => {
  const health = await page.request.get("/healthz");
  expect(health.status()).toBe(200);
  expect(await health.json()).toEqual({ status: "ok" });
  const ready = await page.request.get("/readyz");
  expect(ready.status()).toBe(200);
  expect((await ready.json()).dependencies).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ name: "database", state: "up" }),
      expect.objectContaining({ name: "bus", state: "embedded" }),
    ]),
  );

  await page.goto("/");
  await expect(page).toHaveURL(/\/signin$/);
  await expect(page.getByRole("heading", { name: "Sign in to the console" })).toBeVisible();
  await snap(page, testInfo, "sign-in");

  const overview = await page.request.get("/api/trpc/overview.summary");
  expect(overview.status()).toBe(401);
  expect((await overview.json()).error.data.code).toBe("UNAUTHORIZED");
});

test("the first-login link signs in the bootstrap admin, once; sign-out ends the session", async ({ page, browser }, testInfo) => {
  const link = await readFirstLoginUrl();
  expect(new URL(link).origin, "the link must use the console's own origin").toBe(new URL(testInfo.project.use.baseURL ?? "").origin);

  await page.goto(link);
  await expect(page.getByRole("heading", { name: "Set up Portcullis" })).toBeVisible();
  await snap(page, testInfo, "bootstrap");
  await page.getByRole("button", { name: "Continue as first administrator" }).click();

  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
  await expect(page.getByTestId("signed-in-user")).toContainText("Owner");
  await expect(page.getByRole("note")).toContainText("bootstrap administrator");
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Overview" })).toHaveAttribute(
    "aria-current",
    "page",
  );

  // The cards must show what the API reports from the database, not placeholders.
  const response = await page.request.get("/api/trpc/overview.summary");
  expect(response.status()).toBe(200);
  const summary = (await response.json()).result.data as Record<string, number>;
  for (const key of ["activeVirtualKeys", "teams", "providers", "requestsLast24h"]) {
    expect(Number.isInteger(summary[key]), `${key} is a count`).toBe(true);
    await expect(page.getByTestId(`stat-${key}`)).toHaveText(numberFormat.format(summary[key] ?? -1));
  }
  await snap(page, testInfo, "overview-1280");

  await page.setViewportSize({ width: 820, height: 1180 });
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  await snap(page, testInfo, "overview-tablet");
  await page.setViewportSize({ width: 1280, height: 800 });

  // The same link in another browser is refused and signs nobody in.
  const other = await browser.newContext();
  try {
    const second = await other.newPage();
    await second.goto(link);
    await second.getByRole("button", { name: "Continue as first administrator" }).click();
    // (Next's route announcer is an empty role=alert too, hence the filter.)
    await expect(second.getByRole("alert").filter({ hasText: "already been used" })).toBeVisible();
    await snap(second, testInfo, "bootstrap-reused");
    await second.goto("/");
    await expect(second).toHaveURL(/\/signin$/);
  } finally {
    await other.close();
  }

  // Sign out, then prove the old session cookie is dead server-side, not merely deleted.
  const cookiesBefore = await page.context().cookies();
  expect(cookiesBefore.some((c) => c.name.endsWith("portcullis.session-token"))).toBe(true);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin\?signedOut=1$/);
  await expect(page.getByRole("status")).toContainText("signed out");
  await snap(page, testInfo, "signed-out");

  const replay = await browser.newContext();
  try {
    await replay.addCookies(cookiesBefore);
    const stale = await replay.newPage();
    await stale.goto("/");
    await expect(stale).toHaveURL(/\/signin$/);
    expect((await stale.request.get("/api/trpc/overview.summary")).status()).toBe(401);
  } finally {
    await replay.close();
  }
});

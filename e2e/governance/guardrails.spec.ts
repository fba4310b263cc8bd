import { expect, test } from "@playwright/test";
import { idpUsers } from "../support/idp";
import { snap } from "../support/product";
import { signInAsBootstrapAdmin, signInWithSso } from "../support/sso";

/**
 * Guardrail policies as a security user manages them: signed in through the IdP with the
 * Security role, they add a policy scoped to a team, are told inline what is wrong with it,
 * and see it listed. The admin step only sets up what the journey needs.
 */
test.describe.configure({ mode: "serial" });

const run = Date.now().toString(36);
const team = { name: `Cards ${run}`, slug: `cards-${run}` };
const policy = `card-numbers-${run}`;

test("the admin creates a team and maps the security group to Security", async ({ page }) => {
  await signInAsBootstrapAdmin(page);
  const nav = page.getByRole("navigation", { name: "Main" });
  await nav.getByRole("link", { name: "Teams" }).click();
  await page.getByRole("button", { name: "Create team" }).click();
  const dialog = page.getByRole("dialog", { name: "Create a team" });
  await dialog.getByLabel("Name").fill(team.name);
  await dialog.getByLabel("Slug").fill(team.slug);
  await dialog.getByRole("button", { name: "Create team" }).click();
  await expect(dialog).toBeHidden();

  await nav.getByRole("link", { name: "Settings" }).click();
  const form = page.getByRole("form", { name: "Add a group mapping" });
  await form.getByLabel("IdP group").fill(idpUsers.security.groups[0]);
  await form.getByLabel("Role").selectOption({ label: "Security" });
  await form.getByLabel("Scope").selectOption({ label: "Organisation-wide" });
  await form.getByRole("button", { name: "Add mapping" }).click();
  await expect(page.getByRole("table", { name: "Group mappings" }).getByRole("row").filter({ hasText: idpUsers.security.groups[0] })).toContainText("Security");
});

test("a security user adds a guardrail policy, with inline validation, and sees it listed", async ({ page }, testInfo) => {
  await signInWithSso(page, idpUsers.security.sub);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Guardrails" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Guardrails" })).toBeVisible();
  await expect(page.getByText("No guardrail policies.")).toBeVisible();

  await page.getByRole("button", { name: "Add policy" }).click();
  const dialog = page.getByRole("dialog", { name: "Add a guardrail policy" });
  await dialog.getByLabel("Name", { exact: true }).fill(policy);
  await dialog.getByLabel("Check", { exact: true }).selectOption({ label: "Regular expressions" });
  await dialog.getByLabel("Patterns (one per line)").fill("\\b4\\d{15}\\b\n(unclosed");
  await dialog.getByRole("button", { name: "Save policy" }).click();
  await expect(dialog.getByText(/Line 2 does not compile/)).toBeVisible();
  await dialog.getByLabel("Patterns (one per line)").fill("\\b4\\d{15}\\b");
  await dialog.getByLabel("Mode", { exact: true }).selectOption("redact");
  await dialog.getByLabel("Applies to").selectOption({ label: "Team" });
  await dialog.getByLabel("Team", { exact: true }).selectOption({ label: team.name });
  await dialog.getByRole("button", { name: "Save policy" }).click();
  await expect(dialog).toBeHidden();

  const row = page.getByRole("table", { name: "Guardrail policies" }).getByRole("row").filter({ hasText: policy });
  await expect(row).toContainText("Regular expressions");
  await expect(row).toContainText("redact on input");
  await expect(row).toContainText(`Team: ${team.name}`);
  await snap(page, testInfo, "guardrails");

  // Deleting asks first; cancelling keeps the policy.
  await row.getByRole("button", { name: `Delete ${policy}` }).click();
  await expect(page.getByRole("dialog", { name: `Delete guardrail policy ${policy}?` })).toBeVisible();
  await page.getByRole("dialog", { name: `Delete guardrail policy ${policy}?` }).getByRole("button", { name: "Cancel" }).click();
  await expect(row).toBeVisible();
});

import { expect, test, type Page } from "@playwright/test";
import { e2eUpstream } from "../support/e2e-env";
import { idpUsers } from "../support/idp";
import { snap } from "../support/product";
import { chatThroughGateway, eventually, loginThroughIdp, signInAsBootstrapAdmin, signInWithSso } from "../support/sso";

/**
 * The governance journey through a real OpenID provider: the break-glass admin maps IdP
 * groups to roles and sets up a team and a provider; then a developer, a finance user and
 * a security user each sign in through SSO and do their job; an unmapped user is refused.
 * The steps build on each other.
 */
test.describe.configure({ mode: "serial" });

const run = Date.now().toString(36);
const team = { name: `Payments ${run}`, slug: `payments-${run}` };
const provider = `openai-sim-${run}`;
const keyName = `checkout-${run}`;

async function addMapping(page: Page, group: string, role: string, scope: string) {
  const form = page.getByRole("form", { name: "Add a group mapping" });
  await form.getByLabel("IdP group").fill(group);
  await form.getByLabel("Role").selectOption({ label: role });
  await form.getByLabel("Scope").selectOption({ label: scope });
  await form.getByRole("button", { name: "Add mapping" }).click();
  await expect(page.getByRole("table", { name: "Group mappings" }).getByRole("row").filter({ hasText: group })).toContainText(role);
}

test("the bootstrap admin maps IdP groups, creates a team and a provider with an encrypted credential", async ({ page }, testInfo) => {
  await signInAsBootstrapAdmin(page);
  await snap(page, testInfo, "overview-admin");

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Teams" }).click();
  await page.getByRole("button", { name: "Create team" }).click();
  const dialog = page.getByRole("dialog", { name: "Create a team" });
  await dialog.getByLabel("Slug").fill("Not A Slug");
  await dialog.getByLabel("Name").fill(team.name);
  await dialog.getByRole("button", { name: "Create team" }).click();
  // Inline validation from the server's schema, next to the field.
  await expect(dialog.getByText("Lower-case letters, digits and single dashes")).toBeVisible();
  await dialog.getByLabel("Slug").fill(team.slug);
  await dialog.getByRole("button", { name: "Create team" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("table", { name: "Teams" })).toContainText(team.name);
  await snap(page, testInfo, "teams");

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).click();
  await addMapping(page, idpUsers.security.groups[0], "Security", "Organisation-wide");
  await addMapping(page, idpUsers.finance.groups[0], "Finance", "Organisation-wide");
  await addMapping(page, idpUsers.developer.groups[0], "Developer", `Team ${team.name}`);
  await snap(page, testInfo, "settings-sso-mapping");

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Providers" }).click();
  await page.getByRole("button", { name: "Add provider" }).click();
  const providerDialog = page.getByRole("dialog", { name: "Add a provider" });
  await providerDialog.getByLabel("Name").fill(provider);
  await providerDialog.getByLabel("Type").selectOption("openai");
  await providerDialog.getByLabel("Base URL").fill(`${e2eUpstream.url}/v1`);
  await providerDialog.getByRole("button", { name: "Add provider" }).click();
  const card = page.getByTestId(`provider-${provider}`);
  await card.getByRole("button", { name: "Add key" }).click();
  const keyDialog = page.getByRole("dialog", { name: `Add a key to ${provider}` });
  await keyDialog.getByLabel("Name").fill("primary");
  await keyDialog.getByLabel("Value, encrypted at rest").check();
  await keyDialog.getByLabel("API key").fill(e2eUpstream.apiKey);
  await keyDialog.getByRole("button", { name: "Add key" }).click();
  await expect(card).toContainText("encrypted value");
  // The credential never comes back to the browser.
  expect(await page.content()).not.toContain(e2eUpstream.apiKey);
  await card.getByRole("button", { name: "Test primary" }).click();
  await expect(card.getByRole("status")).toContainText("answered 200");
  await snap(page, testInfo, "providers");
});

let secret = "";

test("a developer signs in through the IdP, mints a key in their team that works at once, then revokes it", async ({ page }, testInfo) => {
  await signInWithSso(page, idpUsers.developer.sub);
  await expect(page.getByTestId("signed-in-user")).toContainText("Developer (1 team)");
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Audit log" })).toHaveCount(0);

  await nav.getByRole("link", { name: "Virtual keys" }).click();
  await page.getByRole("button", { name: "Create key" }).click();
  const dialog = page.getByRole("dialog", { name: "Create a virtual key" });
  // Only their own team is offered.
  await expect(dialog.getByLabel("Team").locator("option")).toHaveText([team.name]);
  await dialog.getByLabel("Name").fill(keyName);
  await dialog.getByLabel("Allowed models").fill("gpt-4o-mini");
  await dialog.getByRole("button", { name: "Create key" }).click();

  const reveal = page.getByRole("dialog", { name: "Key created" });
  secret = (await reveal.getByTestId("secret-value").textContent()) ?? "";
  expect(secret).toMatch(/^pck_[0-9A-Za-z]{38}$/);
  await snap(page, testInfo, "key-created-secret-once");
  await reveal.getByRole("button", { name: "I have copied it" }).click();

  // The embedded gateway polls the configuration every 500 ms: the key works within moments.
  let answer: Awaited<ReturnType<typeof chatThroughGateway>> | undefined;
  await eventually(async () => (answer = await chatThroughGateway(secret)).status === 200, "the new key to be accepted");
  expect(answer?.body).toMatchObject({ object: "chat.completion" });
  // A model outside the key's allow-list is refused, naming the policy.
  const denied = await chatThroughGateway(secret, "gpt-4o");
  expect(denied.status).toBe(403);

  const row = page.getByTestId(`key-row-${keyName}`);
  await expect(row).toContainText("active");
  await snap(page, testInfo, "keys");
  await page.setViewportSize({ width: 820, height: 1180 });
  await snap(page, testInfo, "keys-tablet");
  await page.setViewportSize({ width: 1280, height: 800 });

  await row.getByRole("button", { name: `Revoke ${keyName}` }).click();
  const confirm = page.getByRole("dialog", { name: `Revoke ${keyName}?` });
  await expect(confirm).toContainText("cannot be undone");
  await confirm.getByRole("button", { name: "Revoke key" }).click();
  await expect(row).toContainText("revoked");
  await eventually(async () => (await chatThroughGateway(secret)).status === 401, "the revoked key to be refused");

  // The audit log is not theirs to read, even by calling the API directly.
  const audit = await page.request.get("/api/trpc/audit.list?input=%7B%7D");
  expect(audit.status()).toBe(403);
});

test("a finance user sets the team's monthly budget and sees usage and next reset, but cannot touch credentials", async ({ page }, testInfo) => {
  await signInWithSso(page, idpUsers.finance.sub);
  await expect(page.getByTestId("signed-in-user")).toContainText("Finance");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Budgets" }).click();
  await page.getByRole("button", { name: "Add budget" }).click();
  const dialog = page.getByRole("dialog", { name: "Add a budget" });
  await dialog.getByLabel("Applies to").selectOption("team");
  await dialog.getByLabel("Team", { exact: true }).selectOption({ label: team.name });
  await dialog.getByLabel("Limit (USD)").fill("100");
  await dialog.getByLabel("Period", { exact: true }).selectOption("month");
  await dialog.getByRole("button", { name: "Create budget" }).click();

  const row = page.getByTestId(`budget-row-${team.name}`);
  await expect(row).toContainText("$0.00 of $100.00");
  await expect(row).toContainText("no spend recorded this period");
  const reset = await row.locator("time").getAttribute("datetime");
  expect(new Date(reset ?? "").getUTCDate()).toBe(1);

  await row.getByRole("button", { name: `Edit budget of ${team.name}` }).click();
  const edit = page.getByRole("dialog", { name: "Edit budget" });
  await edit.getByLabel("Limit (USD)").fill("250");
  await edit.getByRole("button", { name: "Save budget" }).click();
  await expect(row).toContainText("$0.00 of $250.00");
  await snap(page, testInfo, "budgets");

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Providers" }).click();
  const card = page.getByTestId(`provider-${provider}`);
  await expect(card).toContainText("encrypted value");
  await expect(card.getByRole("button", { name: "Test primary" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Add key" })).toHaveCount(0);
  const credential = await page.request.post("/api/trpc/providers.keys.create", {
    data: { providerId: "prv_x", name: "sneaky", credential: { kind: "reference", ref: "env://X" } },
    headers: { origin: new URL(page.url()).origin },
  });
  expect(credential.status()).toBe(403);
});

test("a security user reviews the revocation in the audit log, verifies the chain and exports it", async ({ page }, testInfo) => {
  await signInWithSso(page, idpUsers.security.sub);
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Budgets" })).toHaveCount(0);
  await nav.getByRole("link", { name: "Audit log" }).click();

  await page.getByLabel("Action").selectOption("virtual_key.revoke");
  const events = page.getByRole("table", { name: "Audit events" });
  const row = events.getByRole("row").filter({ hasText: idpUsers.developer.email }).first();
  await expect(row).toContainText("virtual_key.revoke");
  await row.getByRole("button", { name: /^Details of virtual_key.revoke/ }).click();
  const detail = page.getByRole("dialog", { name: /^virtual_key\.revoke #\d+$/ });
  const status = detail.getByRole("row").filter({ has: page.getByRole("rowheader", { name: "status", exact: true }) });
  await expect(status).toContainText('"active"');
  await expect(status).toContainText('"revoked"');
  await snap(page, testInfo, "audit-diff");
  await detail.getByRole("button", { name: "Close" }).click();

  await page.getByRole("button", { name: "Verify chain" }).click();
  await expect(page.getByTestId("chain-status")).toContainText("intact");
  await snap(page, testInfo, "audit");

  const [csv] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export CSV" }).click()]);
  const csvText = await streamText(await csv.createReadStream());
  expect(csvText.split("\r\n")[0]).toBe("seq,occurredAt,actorType,actorId,actorLabel,action,targetType,targetId,outcome,ip,userAgent,requestId,before,after,metadata,prevHash,hash");
  expect(csvText).toContain("virtual_key.revoke");
  const [jsonl] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export JSONL" }).click()]);
  const lines = (await streamText(await jsonl.createReadStream())).trim().split("\n").map((l) => JSON.parse(l) as { action: string; actorLabel: string });
  expect(lines.length).toBeGreaterThan(0);
  expect(lines.every((l) => l.action === "virtual_key.revoke")).toBe(true);
  expect(lines.some((l) => l.actorLabel === idpUsers.developer.email)).toBe(true);

  const budgets = await page.request.post("/api/trpc/budgets.update", { data: { id: "bud_x", limitUsd: 1 }, headers: { origin: new URL(page.url()).origin } });
  expect(budgets.status()).toBe(403);
});

test("a user whose groups map to nothing is refused at sign-in", async ({ page }, testInfo) => {
  await loginThroughIdp(page, idpUsers.outsider.sub);
  await expect(page).toHaveURL(/\/signin\?error=NoAccess/);
  await expect(page.getByRole("alert").filter({ hasText: "none of your identity-provider groups" })).toBeVisible();
  await snap(page, testInfo, "signin-refused");
  await page.goto("/");
  await expect(page).toHaveURL(/\/signin$/);
});

test("the admin edits routing rules with validation against the configuration", async ({ page }, testInfo) => {
  await signInAsBootstrapAdmin(page);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Routing" }).click();
  await page.getByRole("button", { name: "Add rule" }).click();
  const dialog = page.getByRole("dialog", { name: "Add a routing rule" });
  await dialog.getByLabel("Name").fill(`reports-${run}`);
  await dialog.getByLabel("Match (JSON)").fill(JSON.stringify({ models: [`reports-${run}-*`] }));
  await dialog.getByLabel("Targets (JSON)").fill(JSON.stringify([{ provider: "no-such-provider", model: "gpt-4o-mini" }]));
  await dialog.getByRole("button", { name: "Validate and save" }).click();
  await expect(dialog.getByRole("alert")).toContainText('unknown provider "no-such-provider"');
  await dialog.getByLabel("Targets (JSON)").fill("[not json");
  await dialog.getByRole("button", { name: "Validate and save" }).click();
  await expect(dialog.getByText(/Not valid JSON/)).toBeVisible();
  await dialog.getByLabel("Targets (JSON)").fill(JSON.stringify([{ provider, key: "primary", model: "gpt-4o-mini" }]));
  await dialog.getByRole("button", { name: "Validate and save" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("table", { name: "Routing rules" })).toContainText(`${provider}/primary: gpt-4o-mini`);
  await snap(page, testInfo, "routing");
});

test("the main pages render for the admin (screenshots)", async ({ page }, testInfo) => {
  await signInAsBootstrapAdmin(page);
  for (const [path, heading, name] of [
    ["/prices", "Prices", "prices"],
    ["/requests", "Request logs", "requests"],
    ["/fleet", "Fleet and configuration", "fleet"],
    ["/customers", "Customers", "customers"],
    ["/settings/users", "Settings", "settings-users"],
    ["/settings/roles", "Settings", "settings-roles"],
    ["/settings/export-sinks", "Settings", "settings-export-sinks"],
    ["/settings/service-accounts", "Settings", "settings-api-access"],
  ] as const) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
    // Loaded: no skeleton left, and no error in its place.
    await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
    await expect(page.getByRole("alert").filter({ hasText: /Could not load/ })).toHaveCount(0);
    await snap(page, testInfo, name);
  }
  // The embedded gateway reports on the in-process bus like any other node: current, circuits closed.
  await page.goto("/fleet");
  const version = (await page.getByTestId("config-version").innerText()).trim();
  await expect(page.getByTestId("fleet-summary")).toHaveText(`${version} on 1 of 1 node`);
  const node = page.getByRole("table", { name: "Gateway nodes" }).getByRole("row", { name: /embedded/ });
  await expect(node).toContainText("current");
  await expect(node).toContainText("closed");
  await page.goto("/settings/users");
  const dev = page.getByTestId(`user-row-${idpUsers.developer.email}`);
  await expect(dev).toContainText("Developer");
  await expect(dev).toContainText("IdP");
});

async function streamText(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

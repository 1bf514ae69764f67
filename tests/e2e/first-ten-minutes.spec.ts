import { DEMO } from "../../scripts/demo-env";
import { emulator, expect, signIn, test, USERS } from "./fixtures";

test.beforeEach(async () => {
  await emulator.reset();
});

test("Megan signs in from the header's Sign in (account picker): the remedy leads to a ready consent builder", async ({
  page,
}) => {
  await page.goto("/troubleshoot");
  await page.getByRole("banner").getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Pick an account" })).toBeVisible();
  await page.getByRole("button", { name: "Sign in as Megan Bowen" }).click();

  await expect(page).toHaveURL(/\/auth\/error/);
  await expect(page.locator('[data-error-code="AADSTS_CONSENT_REQUIRED"]')).toBeVisible();
  // The account was picked at Microsoft, so the portal asks for the organization once, here.
  await page.getByLabel("Organization domain or tenant id").fill("fabrikam.com");
  await page.getByRole("button", { name: "Continue" }).click();

  await expect(page).toHaveURL(/\/consent\?/);
  await expect(page.getByTestId("resolved-tenant")).toContainText(DEMO.tenants.fabrikam);
  await expect(page.getByTestId("tenant-error")).toHaveCount(0);
  await expect(page.getByTestId("app-error")).toHaveCount(0);

  // The builder reached from the error's own link (no tenant known) opens ready, with no error either.
  await page.goBack();
  await page.getByRole("link", { name: "Open the admin-consent builder" }).click();
  await expect(page).toHaveURL(/\/consent\?app=/);
  await expect(page.getByLabel("Tenant id or verified domain")).toHaveValue("");
  await expect(page.getByTestId("tenant-error")).toHaveCount(0);

  // With the work email typed first, the remedy page names the organization itself.
  await page.context().clearCookies();
  await signIn(page, USERS.megan);
  await expect(page.locator('[data-error-code="AADSTS_CONSENT_REQUIRED"]')).toContainText("fabrikam.com");
  await expect(page.getByLabel("Organization domain or tenant id")).toHaveCount(0);
  await page.getByRole("link", { name: "Open the admin-consent builder" }).click();
  await expect(page.getByTestId("resolved-tenant")).toContainText(DEMO.tenants.fabrikam);
  await expect(page.getByTestId("tenant-error")).toHaveCount(0);
});

test("Lynne: the missing Teams.ManageChats is explained once with the real fix, and the fix works in the demo", async ({
  page,
}) => {
  await signIn(page, USERS.lynne);
  await expect(page).toHaveURL(/\/token$/);
  const error = page.locator('[data-error-code="ENTRA_TOKEN_MISSING_SCOPE"]');
  await expect(error).toHaveCount(1);
  await expect(error).toContainText("consent was given before it was added");
  await expect(error).toContainText("grants admin consent again");
  await expect(page.getByRole("button", { name: "Get Teams token" })).toBeDisabled();
  const links = page.getByRole("link", { name: "Open the admin-consent builder" });
  await expect(links).toHaveCount(1);
  await expect(links).toHaveAttribute("href", `/consent?tenant=${DEMO.tenants.contoso}&app=${DEMO.clientId}`);

  await links.click();
  await expect(page.getByTestId("resolved-tenant")).toContainText(DEMO.tenants.contoso);
  await page.getByRole("link", { name: "Open as admin" }).click();
  await page.getByRole("button", { name: "Accept" }).click();
  await expect(page.getByTestId("consent-granted")).toContainText("sign out and sign in again");

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByTestId("signed-out")).toContainText("You are signed out");
  await signIn(page, USERS.lynne);
  await expect(page.getByTestId("scope-Teams.ManageChats")).toHaveAttribute("data-granted", "true");
  await expect(page.locator("[data-error-code]")).toHaveCount(0);
  await page.getByRole("button", { name: "Get Teams token" }).click();
  await expect(page.getByTestId("token-status")).toHaveAttribute("data-status", "success");
});

test("Lee sees the permissions prompt at the stand-in, and his Cancel is what the remedy page explains", async ({
  page,
}) => {
  await signIn(page, USERS.lee);
  await expect(page.getByRole("heading", { name: "Permissions requested" })).toBeVisible();
  await expect(page.getByText("Teams.ManageChats")).toBeVisible();
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page).toHaveURL(/\/auth\/error/);
  await expect(page.locator('[data-error-code="AADSTS_CONSENT_DECLINED"]')).toContainText("AADSTS65004");
});

test("renewing shows what changed, and a reload says a valid token is held without sending it", async ({
  page,
}) => {
  await signIn(page, USERS.adele);
  await page.getByRole("button", { name: "Get Teams token" }).click();
  await expect(page.getByTestId("token-status")).toHaveAttribute("data-status", "success");
  const first = await page.getByTestId("teams-fingerprint").textContent();
  expect(first).toMatch(/^[0-9a-f]{8}$/);
  await expect(page.getByTestId("teams-issued-at")).toBeVisible();

  // ACS (and its stand-in) may answer two exchanges within the same second with the very same token.
  await page.waitForTimeout(1_100);
  await page.getByRole("button", { name: "Renew Teams token" }).click();
  await expect(page.getByTestId("renewal")).toContainText(`was ${first}`);
  const second = await page.getByTestId("teams-fingerprint").textContent();
  expect(second).not.toBe(first);
  await page.getByRole("button", { name: "Show token" }).click();
  const token = await page.getByRole("textbox", { name: "Token" }).inputValue();
  expect(token.length).toBeGreaterThan(100);

  const html = await (await page.request.get("/token")).text();
  expect(html).not.toContain(token);
  await page.reload();
  const status = page.getByTestId("token-status");
  await expect(status).toHaveAttribute("data-status", "held");
  await expect(status).toContainText("A valid Teams token is held for you");
  await expect(page.getByTestId("teams-fingerprint")).toHaveText(second ?? "");
  await expect(page.getByRole("textbox", { name: "Token" })).toHaveCount(0);
  expect(await page.content()).not.toContain(token);
  const before = (await emulator.stats()).exchanges.total;
  await page.getByRole("button", { name: "Get Teams token" }).click();
  await expect(status).toHaveAttribute("data-status", "success");
  expect((await emulator.stats()).exchanges.total).toBe(before); // the held token, not a new exchange
});

test("the consent builder says which links go where, and an admin who cancels is addressed as the admin", async ({
  page,
}) => {
  await page.goto("/consent?tenant=fabrikam.com");
  await expect(page.getByTestId("consent-offline-note")).toContainText("login.microsoftonline.com");
  await expect(page.getByTestId("consent-offline-note")).toContainText(
    "Only Open as admin goes to the local",
  );
  await page.getByRole("link", { name: "Open as admin" }).click();
  await page.getByRole("button", { name: "Cancel" }).click();
  const error = page.locator('[data-error-code="ADMIN_CONSENT_DECLINED"]');
  await expect(error).toBeVisible();
  await expect(page.getByTestId("who-acts")).toHaveText("You, as an administrator of the organization");
  await expect(error).not.toContainText("Sign in again");
  await expect(error.getByRole("link", { name: "Open the admin-consent builder" })).toHaveAttribute(
    "href",
    new RegExp(`tenant=${DEMO.tenants.fabrikam}`),
  );
});

test("small things: badges match the words, no raw backticks, the tenant can be changed, long input is reported", async ({
  page,
}) => {
  await page.goto("/admin");
  expect(await page.locator("main").textContent()).not.toContain("`");
  // The badges' words are those of the diagnostics page that explains them (portal admins only).
  await signIn(page, USERS.diego);
  await expect(page).toHaveURL(/\/token$/);
  await page.goto("/admin/diagnostics");
  await expect(page.getByText("marked Done or Not done")).toBeVisible();
  const badges = await page.locator("[data-step] [data-status]").all();
  expect(badges.length).toBeGreaterThan(0);
  for (const badge of badges) {
    await expect(badge).toHaveText(/^. ?(Done|Not done|Check in the Azure portal)/);
  }
  expect(await page.locator("main").textContent()).not.toContain("`");

  await page.goto(`/admin/service-principal?tenant=${DEMO.tenants.northwind}`);
  await expect(page.getByTestId("sp-tenant")).toContainText(DEMO.tenants.northwind);
  await page.getByLabel("Tenant id or verified domain").fill("fabrikam.com");
  await page.getByRole("button", { name: "Change the tenant" }).click();
  await expect(page.getByTestId("sp-tenant")).toContainText(DEMO.tenants.fabrikam);

  for (const path of ["/consent", "/admin/service-principal"]) {
    await page.goto(`${path}?tenant=${"a".repeat(5000)}`);
    await expect(page.getByTestId("tenant-error")).toContainText("5,000 characters long and was ignored");
  }
});

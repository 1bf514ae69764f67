import { DEMO } from "../../scripts/demo-env";
import { emulator, expect, signIn, test, USERS } from "./fixtures";

test.beforeEach(async () => {
  await emulator.reset();
});

test("AADSTS65001: the Fabrikam admin consents through the builder, then the user gets a Teams token", async ({
  page,
}) => {
  await signIn(page, USERS.megan);
  await expect(page).toHaveURL(/\/auth\/error/);
  await expect(page.locator('[data-error-code="AADSTS_CONSENT_REQUIRED"]')).toBeVisible();

  const builderLink = page.getByRole("link", { name: "Open the admin-consent builder" });
  await expect(builderLink).toHaveAttribute("href", /\/consent\?tenant=fabrikam\.com/);
  await builderLink.click();

  await expect(page).toHaveURL(/\/consent\?/);
  await expect(page.getByLabel("Tenant id or verified domain")).toHaveValue("fabrikam.com");
  await expect(page.getByLabel("Application (client) id")).toHaveValue(DEMO.clientId);
  await expect(page.getByTestId("resolved-tenant")).toContainText(DEMO.tenants.fabrikam);
  await expect(page.getByTestId("consent-v1")).toHaveText(
    `https://login.microsoftonline.com/${DEMO.tenants.fabrikam}/adminconsent?client_id=${DEMO.clientId}`,
  );
  const v2 = new URL((await page.getByTestId("consent-v2").textContent()) ?? "");
  expect(v2.searchParams.get("scope")).toBe(
    "https://auth.msft.communication.azure.com/Teams.ManageCalls https://auth.msft.communication.azure.com/Teams.ManageChats",
  );
  expect(v2.searchParams.get("redirect_uri")).toMatch(/^http:\/\/localhost:\d+\/consent\/result$/);

  await page.getByRole("link", { name: "Open as admin" }).click();
  await expect(page.getByRole("heading", { name: /Permissions requested/ })).toBeVisible();
  await page.getByRole("button", { name: "Accept" }).click();

  await expect(page).toHaveURL(/\/consent\/result\?/);
  await expect(page.getByTestId("consent-granted")).toContainText(
    `Users of ${DEMO.tenants.fabrikam} can now sign in`,
  );

  await page.context().clearCookies();
  await signIn(page, USERS.megan);
  await expect(page).toHaveURL(/\/token$/);
  await page.getByRole("button", { name: "Get Teams token" }).click();
  await expect(page.getByTestId("token-status")).toHaveAttribute("data-status", "success");
});

test("a declined consent and a tampered state are explained on the result page", async ({ page }) => {
  await page.goto(`/consent?tenant=${DEMO.tenants.fabrikam}`);
  await page.getByRole("link", { name: "Open as admin" }).click();
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page).toHaveURL(/\/consent\/result\?/);
  await expect(page.locator('[data-error-code="ADMIN_CONSENT_DECLINED"]')).toBeVisible();

  await page.goto(`/consent/result?admin_consent=True&tenant=${DEMO.tenants.fabrikam}&state=forged.state`);
  await expect(page.locator('[data-error-code="CONSENT_STATE_MISMATCH"]')).toBeVisible();
  await expect(page.getByTestId("consent-granted")).toHaveCount(0);
});

test("the builder explains bad input without JavaScript and without reflecting it", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/consent");
  await page.getByLabel("Tenant id or verified domain").fill("<script>alert(1)</script>");
  await page.getByRole("button", { name: "Build the consent links" }).click();
  await expect(page.getByTestId("tenant-error")).toContainText("may contain only letters");
  await expect(page.getByTestId("consent-urls")).toHaveCount(0);
  expect(await page.locator("main script").count()).toBe(0);

  await page.getByLabel("Tenant id or verified domain").fill(`{${DEMO.tenants.fabrikam.toUpperCase()}}`);
  await page.getByRole("button", { name: "Build the consent links" }).click();
  await expect(page.getByTestId("resolved-tenant")).toContainText(DEMO.tenants.fabrikam);
  await context.close();
});

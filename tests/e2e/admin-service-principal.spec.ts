import { DEMO } from "../../scripts/demo-env";
import { emulator, expect, signIn, test, USERS } from "./fixtures";

test.beforeEach(async () => {
  await emulator.reset();
});

test("AADSTS650052: the Northwind user is sent to the PowerShell remedy with the tenant filled in", async ({
  page,
}) => {
  await signIn(page, USERS.nestor);
  await expect(page).toHaveURL(/\/auth\/error/);
  await expect(page.locator('[data-error-code="AADSTS_SERVICE_PRINCIPAL_MISSING"]')).toBeVisible();
  await page.getByRole("link", { name: "Show how to create the service principal" }).click();

  await expect(page).toHaveURL(/\/admin\/service-principal/);
  await expect(page.getByTestId("sp-tenant")).toContainText(DEMO.tenants.northwind);
  const powershell = page.locator("pre").first();
  await expect(powershell).toContainText("Install-Module Microsoft.Graph -Scope CurrentUser");
  await expect(powershell).toContainText(
    `Connect-MgGraph -TenantId "${DEMO.tenants.northwind}" -Scopes Application.ReadWrite.All`,
  );
  await expect(powershell).toContainText(
    'New-MgServicePrincipal -AppId "1fd5118e-2576-4263-8130-9503064c837a"',
  );
  await expect(page.locator("pre").nth(1)).toContainText(
    `az login --tenant ${DEMO.tenants.northwind} --allow-no-subscriptions`,
  );
});

test("the set-up guide shows this deployment's public values; its admin sees what it verified", async ({
  page,
}) => {
  await page.goto("/admin");
  await expect(page.getByTestId("client-id")).toHaveText(DEMO.clientId);
  await expect(page.getByTestId("callback-url")).toHaveText(
    /^http:\/\/localhost:\d+\/api\/auth\/callback\/microsoft-entra-id$/,
  );
  await expect(page.locator('[data-step="acs"] [data-status]')).toHaveAttribute("data-status", "manual");

  // This deployment's diagnostics: for the portal's admin (app role TokenPortal.Admin) only.
  await signIn(page, USERS.diego);
  await expect(page).toHaveURL(/\/token$/);
  await page.goto("/admin/diagnostics");
  await expect(page.getByTestId("config-complete")).toBeVisible();
  await expect(page.locator('[data-step="acs"] [data-status]')).toHaveAttribute("data-status", "done");
  await expect(page.locator('[data-step="secret"] [data-status]')).toHaveAttribute("data-status", "done");
});

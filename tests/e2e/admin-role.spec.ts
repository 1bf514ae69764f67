import { emulator, expect, signIn, test, USERS } from "./fixtures";

/**
 * /admin: the set-up guide is public; this deployment's diagnostics (settings, ACS endpoint, the live ACS check,
 * which spends the resource's exchange quota) are for users with the TokenPortal.Admin app role only.
 */

test.beforeEach(async () => {
  await emulator.reset();
});

test("anonymous: the public guide, no diagnostics, and no ACS check", async ({ page }) => {
  await page.goto("/admin");
  await expect(page.getByRole("heading", { name: "Set up the Teams Token Portal" })).toBeVisible();
  await expect(page.getByTestId("callback-url")).toContainText("/api/auth/callback/microsoft-entra-id");
  await expect(page.getByTestId("admin-role-guide")).toContainText("TokenPortal.Admin");
  await expect(page.getByTestId("diagnostics-link")).toBeVisible();
  for (const diagnostic of ["config-complete", "config-missing", "acs-check", "acs-host"])
    await expect(page.getByTestId(diagnostic)).toHaveCount(0);
  await expect(page.locator("[data-setting]")).toHaveCount(0);
  expect((await emulator.stats()).exchanges.total).toBe(0);

  // The diagnostics send an anonymous visitor to sign in, and run nothing either.
  await page.goto("/admin/diagnostics");
  await expect(page).toHaveURL(/\/\?callbackUrl=%2Fadmin%2Fdiagnostics$/);
  await expect(page.getByTestId("sign-in-return")).toContainText("/admin/diagnostics");
  expect((await emulator.stats()).exchanges.total).toBe(0);
});

test("a signed-in user without the app role gets the 403 page and runs no ACS check", async ({ page }) => {
  await signIn(page, USERS.adele);
  await expect(page).toHaveURL(/\/token$/);
  await page.goto("/admin/diagnostics");
  await expect(page).toHaveURL(/\/admin\/forbidden$/);
  await expect(page.getByTestId("admin-forbidden")).toContainText("403");
  await expect(page.locator('[data-error-code="ADMIN_ROLE_REQUIRED"]')).toContainText(
    /Enterprise applications/,
  );
  await expect(page.getByTestId("admin-forbidden")).toContainText(USERS.adele);
  await expect(page.getByTestId("acs-check")).toHaveCount(0);
  expect((await emulator.stats()).exchanges.total).toBe(0);
});

test("the admin signs in on the way, sees the diagnostics, and the live checks are rate-limited", async ({
  page,
}) => {
  await page.goto("/admin/diagnostics");
  await page.getByLabel(/Work email/).fill(USERS.diego);
  await page.getByRole("button", { name: "Sign in with Microsoft" }).click();
  await expect(page).toHaveURL(/\/admin\/diagnostics$/);
  await expect(page.getByTestId("admin-identity")).toHaveText(USERS.diego);
  await expect(page.getByTestId("config-complete")).toBeVisible();
  await expect(page.locator('[data-setting="ACS_CONNECTION_STRING"]')).toContainText("Set");
  await expect(page.getByTestId("acs-host")).toBeVisible();
  await expect(page.getByTestId("acs-check")).toContainText(/accepted the portal's credentials/);
  expect((await emulator.stats()).exchanges.total).toBe(1);

  // A reload within 30 s reuses the result: no new probe.
  await page.reload();
  await expect(page.getByTestId("acs-check")).toBeVisible();
  expect((await emulator.stats()).exchanges.total).toBe(1);

  // "Check again" probes each time, up to RATE_LIMIT_ADMIN_CHECK (5 a minute per admin, the page load included).
  const recheck = page.getByRole("button", { name: "Check ACS again" });
  for (let probes = 2; probes <= 5; probes++) {
    await recheck.click();
    await expect.poll(async () => (await emulator.stats()).exchanges.total).toBe(probes);
    await expect(page.getByTestId("acs-recheck")).toHaveAttribute("data-status", "checked");
    await expect(recheck).toBeEnabled();
  }
  await recheck.click();
  await expect(page.getByTestId("acs-recheck").locator('[data-error-code="RATE_LIMITED"]')).toBeVisible();
  await expect(page.getByTestId("acs-recheck")).toContainText(/retry after \d+ s/);
  expect((await emulator.stats()).exchanges.total).toBe(5);
});

import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { DEMO } from "../../scripts/demo-env";
import { emulator, expect, signIn, test, USERS } from "./fixtures";

const SIGNED_OUT_PAGES = [
  "/",
  "/token",
  "/admin",
  "/admin/forbidden",
  "/no-such-page",
  `/admin/service-principal?tenant=${DEMO.tenants.northwind}`,
  "/admin/service-principal?tenant=%3Cscript%3E",
  "/consent",
  "/consent?tenant=fabrikam.com",
  "/consent?tenant=%3Cb%3Ebad%3C%2Fb%3E&app=nope",
  "/consent/result",
  `/consent/result?admin_consent=True&tenant=${DEMO.tenants.fabrikam}&state=x.y`,
  "/troubleshoot",
  "/troubleshoot?q=AADSTS65001",
  "/developers",
  "/auth/error?error=AADSTS_CONSENT_REQUIRED&aadsts=65001",
];

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"])
    .analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

test.beforeEach(async () => {
  await emulator.reset();
});

for (const scheme of ["light", "dark"] as const) {
  test.describe(`${scheme} colour scheme`, () => {
    test.use({ colorScheme: scheme });

    for (const path of SIGNED_OUT_PAGES) {
      test(`${path} has no serious or critical axe violations`, async ({ page }) => {
        await page.goto(path);
        expect(await seriousViolations(page)).toEqual([]);
      });
    }

    test("/token signed in has no serious or critical axe violations", async ({ page }) => {
      await signIn(page, USERS.adele);
      await expect(page).toHaveURL(/\/token$/);
      expect(await seriousViolations(page)).toEqual([]);
    });
  });
}

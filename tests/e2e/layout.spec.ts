import type { Page } from "@playwright/test";
import { DEMO } from "../../scripts/demo-env";
import { emulator, expect, signIn, test, USERS } from "./fixtures";

/** Every page of the portal, with the query that shows the most content where one exists. */
const PAGES = [
  "/",
  "/token",
  "/admin",
  `/admin/service-principal?tenant=${DEMO.tenants.northwind}`,
  "/consent",
  "/consent?tenant=fabrikam.com",
  `/consent/result?admin_consent=True&tenant=${DEMO.tenants.fabrikam}&state=x.y`,
  "/consent/result?error=access_denied&error_description=AADSTS65004%3A+declined",
  "/troubleshoot",
  "/developers",
  "/auth/error?error=AADSTS_CONSENT_REQUIRED&aadsts=65001",
  `/auth/error?error=AADSTS_SERVICE_PRINCIPAL_MISSING&aadsts=650052&tenant=${DEMO.tenants.northwind}`,
];

const SHOTS = process.env.E2E_SCREENSHOTS; // a directory: also keep a full-page screenshot of each

/** How far the page scrolls sideways (0: not at all), and the first elements that stick out. */
async function sidewaysOverflow(page: Page): Promise<{ sideways: number; culprits: string[] }> {
  return page.evaluate(() => {
    // The body's width, not the window's: the page keeps a gutter for the scrollbar (globals.css), so here, where
    // Playwright hides scrollbars, the content is laid out 15 px narrower than the window, a stricter test than a
    // phone (overlay scrollbars, no gutter).
    const width = document.body.getBoundingClientRect().width;
    const culprits = [...document.querySelectorAll("body *")]
      .filter((el) => {
        const box = el.getBoundingClientRect();
        return box.width > 0 && box.right > width + 1 && getComputedStyle(el).position !== "fixed";
      })
      // code blocks scroll inside themselves; visually hidden (clipped) text takes no room
      .filter((el) => !el.closest('pre, [class*="sr-only"]'))
      .slice(0, 5)
      .map(
        (el) =>
          `${el.tagName.toLowerCase()}.${String(el.className).slice(0, 60)}: ${el.textContent?.slice(0, 60)}`,
      );
    return { sideways: Math.round(document.documentElement.scrollWidth - width), culprits };
  });
}

for (const colorScheme of ["light", "dark"] as const) {
  test(`no page scrolls sideways at 390 px (${colorScheme}), signed out and signed in`, async ({
    browser,
  }) => {
    test.setTimeout(180_000);
    await emulator.reset();
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      colorScheme,
      deviceScaleFactor: 1,
    });
    const page = await context.newPage();
    for (const signedIn of [false, true]) {
      if (signedIn) {
        await signIn(page, USERS.adele);
        await expect(page).toHaveURL(/\/token$/);
        await page.getByRole("button", { name: "Get Teams token" }).click();
        await expect(page.getByTestId("token-status")).toHaveAttribute("data-status", "success");
        await page.getByRole("button", { name: "Show token" }).click();
        expect(await sidewaysOverflow(page), "/token with the token shown").toEqual({
          sideways: 0,
          culprits: [],
        });
      }
      for (const path of PAGES) {
        await page.goto(path);
        await page.waitForLoadState("networkidle");
        expect(await sidewaysOverflow(page), `${path} (${signedIn ? "signed in" : "signed out"})`).toEqual({
          sideways: 0,
          culprits: [],
        });
        if (SHOTS) {
          const name = `${colorScheme}-${signedIn ? "in" : "out"}-390${path.replace(/[^a-z0-9]+/gi, "_")}.png`;
          await page.screenshot({ path: `${SHOTS}/${name}`, fullPage: true });
        }
      }
    }
    await context.close();
  });
}

test("the header stays on one row at 1280 px with a long user name, and marks the current page", async ({
  browser,
}) => {
  await emulator.reset();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await signIn(page, USERS.adele);
  await expect(page).toHaveURL(/\/token$/);
  await expect(page.getByTestId("signed-in-as")).toHaveText(USERS.adele);
  await page.goto("/admin/service-principal");
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Set-up" })).toHaveAttribute("aria-current", "page");
  await expect(nav.locator('[aria-current="page"]')).toHaveCount(1);
  await page.goto("/token");
  await expect(nav.getByRole("link", { name: "My Teams token" })).toHaveAttribute("aria-current", "page");
  await expect(nav.getByRole("link", { name: "Set-up" })).not.toHaveAttribute("aria-current", "page");

  // The longest name a directory may hand out still leaves the header on one row, cut with an ellipsis.
  const oneRow = await page.evaluate(() => {
    const who = document.querySelector<HTMLElement>('[data-testid="signed-in-as"]');
    if (who)
      who.textContent = "christopher.montgomery-wolfeschlegelsteinhausen@northwind-traders.example.com";
    const header = document.querySelector("header > div") as HTMLElement;
    const boxes = [...header.children].map((child) => child.getBoundingClientRect());
    const sameRow = Math.max(...boxes.map((b) => b.top)) < Math.min(...boxes.map((b) => b.bottom));
    return { rows: sameRow ? 1 : 2, height: header.getBoundingClientRect().height };
  });
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/light-in-1280-header-long-name.png` });
  expect(oneRow.rows).toBe(1);
  expect(oneRow.height).toBeLessThan(70);
  await context.close();
});

test("the page does not move sideways when its scrollbar appears (no layout shift while a long page streams in)", async ({
  playwright,
}) => {
  // Playwright hides scrollbars in headless Chromium; a person's browser (and Lighthouse's) shows them.
  const launch = test.info().project.use.launchOptions ?? {};
  const browser = await playwright.chromium.launch({ ...launch, ignoreDefaultArgs: ["--hide-scrollbars"] });
  const page = await browser.newPage({ viewport: { width: 1350, height: 400 } });
  const headerLeft = async () => {
    await page.goto("/consent");
    return page.evaluate(() => ({
      scrolls: document.documentElement.scrollHeight > window.innerHeight,
      left: (document.querySelector("header > div") as HTMLElement).getBoundingClientRect().left,
      main: (document.querySelector("main") as HTMLElement).getBoundingClientRect().left,
    }));
  };
  const scrolling = await headerLeft();
  await page.setViewportSize({ width: 1350, height: 10_000 });
  const fitting = await headerLeft();
  await browser.close();
  expect([scrolling.scrolls, fitting.scrolls]).toEqual([true, false]);
  expect(scrolling.left).toBe(fitting.left);
  expect(scrolling.main).toBe(fitting.main);
});

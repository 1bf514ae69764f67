import type { Browser, BrowserContext } from "@playwright/test";
import { PORTAL_PORT } from "../../playwright.config";
import { APP_SCRIPT_BUDGET_KB, frameworkScripts, SCRIPT_TARGET_KB } from "../support/page-weight";
import { expect, signIn, test, USERS } from "./fixtures";

/**
 * Issue 13's page weight: no page, the signed-in ones included, loads more than APP_SCRIPT_BUDGET_KB of script
 * beyond the framework's runtime (the build's rootMainFiles, the same on every page), compressed as sent (encoded
 * body and headers, as Lighthouse counts it). Each page is loaded once in a fresh context, an empty cache as on a
 * first visit. The totals are printed against issue 13's 120 KB target, which the framework alone exceeds
 * (tests/support/page-weight.ts); `npm run lighthouse` shows the same totals with the scores.
 */

const BASE = `http://localhost:${PORTAL_PORT}`;
type StorageState = Awaited<ReturnType<BrowserContext["storageState"]>>;

const PAGES: { path: string; as?: string }[] = [
  { path: "/" },
  { path: "/token", as: USERS.adele },
  { path: "/consent" },
  { path: "/troubleshoot" },
  { path: "/developers" },
  { path: "/admin" },
  { path: "/admin", as: USERS.diego },
  { path: "/admin/diagnostics", as: USERS.diego },
];

/** Script loaded by one page view in a fresh context holding `storageState` (cookies), in KB per file. */
async function scriptsOf(
  browser: Browser,
  path: string,
  storageState?: StorageState,
): Promise<{ url: string; kb: number }[]> {
  const context = await browser.newContext(storageState ? { storageState } : {});
  try {
    const page = await context.newPage();
    const finished: Promise<{ url: string; kb: number }>[] = [];
    page.on("requestfinished", (request) => {
      if (request.resourceType() !== "script") return;
      finished.push(
        request.sizes().then((sizes) => ({
          url: new URL(request.url()).pathname,
          kb: (sizes.responseBodySize + sizes.responseHeadersSize) / 1024,
        })),
      );
    });
    const response = await page.goto(`${BASE}${path}`, { waitUntil: "networkidle" });
    expect(response?.status(), path).toBe(200);
    expect(new URL(page.url()).pathname, `${path} must not redirect (signed out?)`).toBe(path);
    return Promise.all(finished);
  } finally {
    await context.close();
  }
}

test("no page loads more of the portal's own script than its budget, compressed", async ({
  browser,
  page,
}) => {
  test.setTimeout(120_000);
  const sessions = new Map<string, StorageState>();
  for (const who of new Set(PAGES.flatMap((p) => (p.as ? [p.as] : [])))) {
    const context = await browser.newContext();
    const signInPage = await context.newPage();
    await signIn(signInPage, who);
    await expect(signInPage.getByTestId("signed-in-as")).toBeVisible();
    sessions.set(who, await context.storageState());
    await context.close();
  }
  await page.goto("/"); // the fixture's own page: its leak and CSP checks watch a page of the portal too

  const framework = frameworkScripts();
  expect(framework.size, "the build's rootMainFiles").toBeGreaterThan(0);
  const over: string[] = [];
  const figures: string[] = [];
  for (const { path, as } of PAGES) {
    const scripts = await scriptsOf(browser, path, as ? sessions.get(as) : undefined);
    const sum = (list: { kb: number }[]) => list.reduce((total, s) => total + s.kb, 0);
    const own = scripts.filter((s) => !framework.has(s.url));
    const label = `${path}${as ? ` (${as})` : ""}`;
    figures.push(
      `${label}: ${sum(scripts).toFixed(1)} KB in ${scripts.length} scripts (target ${SCRIPT_TARGET_KB} KB), ` +
        `of which the portal's own ${sum(own).toFixed(1)} KB in ${own.length} (budget ${APP_SCRIPT_BUDGET_KB} KB)`,
    );
    if (sum(own) > APP_SCRIPT_BUDGET_KB) {
      over.push(
        `${label}: ${sum(own).toFixed(1)} KB > ${APP_SCRIPT_BUDGET_KB} KB (${own
          .sort((a, b) => b.kb - a.kb)
          .map((s) => `${s.url.split("/").pop()} ${s.kb.toFixed(1)}`)
          .join(", ")})`,
      );
    }
  }
  console.log(`Script per page (compressed):\n  ${figures.join("\n  ")}`);
  expect(over, `pages whose own script exceeds ${APP_SCRIPT_BUDGET_KB} KB`).toEqual([]);
});

test("the troubleshooting search loads the catalogue on the first keystroke and filters as you type", async ({
  page,
}) => {
  await page.goto("/troubleshoot");
  const entries = page.locator("[data-entry]:visible");
  const all = await entries.count();
  expect(all).toBeGreaterThan(10);
  const catalogueLoads: string[] = [];
  page.on("request", (request) => {
    if (request.resourceType() === "script") catalogueLoads.push(request.url());
  });
  const box = page.getByLabel("Error code or message");
  await box.pressSequentially("AADSTS65001");
  await expect(entries).toHaveCount(1);
  await expect(page.locator("#AADSTS_CONSENT_REQUIRED")).toBeVisible();
  await expect(page.getByTestId("match-count")).toHaveText("1 error matches.");
  expect(catalogueLoads, "the search's chunk, loaded once the person types").toHaveLength(1);
  await box.fill("");
  await expect(entries).toHaveCount(all);
});

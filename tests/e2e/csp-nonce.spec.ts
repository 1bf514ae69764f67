import { readFileSync } from "node:fs";
import path from "node:path";
import { emulator, expect, signIn, test, USERS } from "./fixtures";

/**
 * The CSP allows only scripts with this response's nonce ('strict-dynamic'). Next puts the nonce on its scripts only
 * when it renders the page for the request, so every page must be rendered per request: the root layout decides it
 * (app/layout.tsx). These tests fail when the build prerenders a page or a page's script lacks the nonce.
 */

const ROOT = path.resolve(import.meta.dirname, "../..");

const PAGES = [
  "/",
  "/token",
  "/admin",
  "/admin/forbidden",
  "/admin/service-principal",
  "/consent",
  "/consent/result",
  "/troubleshoot",
  "/developers",
  "/auth/error",
  "/no-such-page",
];

test("the build prerenders no page: each is rendered per request, with its nonce", () => {
  const manifest = JSON.parse(readFileSync(path.join(ROOT, ".next/prerender-manifest.json"), "utf8")) as {
    routes: Record<string, unknown>;
  };
  // Only static files may be prerendered (the icon); no HTML page.
  const pages = Object.keys(manifest.routes).filter(
    (route) => !/\.(svg|ico|png|txt|xml|webmanifest)$/.test(route),
  );
  expect(pages).toEqual([]);
});

test("every page's scripts carry the nonce of the CSP header of its own response", async ({ page }) => {
  await signIn(page, USERS.adele);
  await expect(page).toHaveURL(/\/token$/);
  for (const pathname of PAGES) {
    const response = await page.request.get(pathname);
    const csp = response.headers()["content-security-policy"] ?? "";
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce, `${pathname}: CSP nonce`).toBeTruthy();
    const html = await response.text();
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((match) => match[0]);
    expect(scripts.length, `${pathname}: scripts`).toBeGreaterThan(0);
    for (const script of scripts) expect(script, pathname).toContain(`nonce="${nonce}"`);
  }
});

test("Next's built-in 500 page is rendered per request too: its scripts run under the CSP", async ({
  page,
}) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  const response = await page.goto("/_global-error");
  expect(response?.status()).toBe(500);
  const nonce = /'nonce-([^']+)'/.exec(response?.headers()["content-security-policy"] ?? "")?.[1];
  const html = (await response?.text()) ?? "";
  for (const script of html.matchAll(/<script\b[^>]*>/g)) expect(script[0]).toContain(`nonce="${nonce}"`);
  await page.waitForLoadState("networkidle");
  expect(violations).toEqual([]);
});

test("a 404 keeps the portal's layout, names its catalogue code and leads home, within the CSP", async ({
  page,
}) => {
  await emulator.reset();
  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("link", { name: "Teams Token Portal" })).toBeVisible();
  await expect(page.locator('[data-error-code="NOT_FOUND"]')).toBeVisible();
  await page.getByRole("link", { name: "Back to the start page" }).click();
  await expect(page).toHaveURL(/\/$/);
});

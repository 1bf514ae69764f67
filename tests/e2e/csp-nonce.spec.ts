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
  // Only static files (the icon) and Next's built-in 500 page, which Next always prerenders and the build strips
  // of its scripts (scripts/static-error-page.mjs, tested below), may be prerendered: no page of the portal.
  const pages = Object.keys(manifest.routes).filter(
    (route) => route !== "/_global-error" && !/\.(svg|ico|png|txt|xml|webmanifest)$/.test(route),
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

test("Next's prerendered 500 page breaks no CSP: it carries no script to block", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  const response = await page.goto("/_global-error");
  expect(response?.status()).toBe(500);
  expect(response?.headers()["content-security-policy"]).toMatch(/'nonce-/);
  expect((await response?.text()) ?? "").not.toMatch(/<script\b/);
  await expect(page.getByRole("heading", { name: /This page couldn.t load/ })).toBeVisible();
  await page.waitForLoadState("networkidle");
  expect(violations).toEqual([]);
  // Its Reload button is a plain form: it works without JavaScript.
  await page.getByRole("button", { name: "Reload" }).click();
  await expect(page.getByRole("heading", { name: /This page couldn.t load/ })).toBeVisible();
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

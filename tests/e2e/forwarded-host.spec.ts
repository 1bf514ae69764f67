import type { Page } from "@playwright/test";
import { EMULATOR_PORT } from "../../playwright.config";
import { demoEnv } from "../../scripts/demo-env";
import { freePort } from "../support/ports";
import { type StandalonePortal, startStandalonePortal } from "../support/standalone-portal";
import { emulator, expect, test, USERS } from "./fixtures";

/**
 * A forged X-Forwarded-Host (and -Proto) moves no redirect, cookie or origin decision: not the sign-in's
 * redirect_uri at Entra, not the callback, not the session cookie's name, not the same-origin check of
 * POST /api/teams-token, not sign-out's redirect. Once against the portal Playwright starts (AUTH_URL set), once
 * against a second standalone server without AUTH_URL (demo mode), where only the request guard's pinning of the
 * forwarded headers stands between the forged header and Auth.js.
 */

const FORGED = { "x-forwarded-host": "evil.example", "x-forwarded-proto": "https" };

/** `url` is the browser's address: localhost (the server listens on 127.0.0.1, which localhost is). */
async function startPortalWithoutAuthUrl(): Promise<StandalonePortal> {
  const port = await freePort();
  const { AUTH_URL: _omitted, ...env } = demoEnv({ portalPort: port, emulatorPort: EMULATOR_PORT });
  const started = await startStandalonePortal(port, { ...env, AUTH_URL: "" });
  return { ...started, url: `http://localhost:${port}` };
}

/** Signs in and out with forged forwarded headers on every request; checks each decision on the way. */
async function forgedRoundTrip(page: Page, portal: string) {
  await page.context().setExtraHTTPHeaders(FORGED);
  const authorizeUrls: URL[] = [];
  page.on("request", (request) => {
    if (request.url().includes("/oauth2/v2.0/authorize")) authorizeUrls.push(new URL(request.url()));
  });

  await page.goto(`${portal}/`);
  await page.getByLabel(/Work email/).fill(USERS.adele);
  await page.getByRole("button", { name: "Sign in with Microsoft" }).click();
  await expect(page).toHaveURL(`${portal}/token`);
  expect(authorizeUrls[0]?.searchParams.get("redirect_uri")).toBe(
    `${portal}/api/auth/callback/microsoft-entra-id`,
  );
  const cookies = await page.context().cookies(portal);
  expect(cookies.map((c) => c.name)).toContain("authjs.session-token");
  expect(cookies.some((c) => c.name.startsWith("__Secure-"))).toBe(false);

  // The same-origin check compares with the configured origin, whatever the forwarded host says.
  const api = page.request;
  const forgedOrigin = await api.post(`${portal}/api/teams-token`, {
    headers: { ...FORGED, origin: "https://evil.example" },
  });
  expect(forgedOrigin.status()).toBe(403);
  expect((await forgedOrigin.json()).code).toBe("FORBIDDEN_ORIGIN");
  expect((await emulator.stats()).exchanges.total).toBe(0);
  const own = await api.post(`${portal}/api/teams-token`, { headers: { ...FORGED, origin: portal } });
  expect(own.status()).toBe(200);

  await page.getByRole("button", { name: "Sign out" }).click();
  // Back on the portal's own origin (sign-out lands on its home page with the signed-out note).
  await expect(page).toHaveURL(`${portal}/?signed-out=1`);
  await expect(page.getByTestId("signed-out")).toBeVisible();
  await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeVisible();
}

test.beforeEach(async () => {
  await emulator.reset();
});

test("with AUTH_URL: a forged X-Forwarded-Host changes no redirect, cookie or origin decision", async ({
  page,
  baseURL,
}) => {
  await forgedRoundTrip(page, baseURL ?? "");
});

test.describe("without AUTH_URL (demo mode, not trusting forwarded headers)", () => {
  let portal: StandalonePortal | undefined;

  test.beforeAll(async () => {
    test.setTimeout(90_000);
    portal = await startPortalWithoutAuthUrl();
  });

  test.afterAll(async () => {
    await portal?.stop();
  });

  test("a forged X-Forwarded-Host changes no redirect, cookie or origin decision", async ({ browser }) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      await forgedRoundTrip(page, portal?.url ?? "");
    } finally {
      await context.close();
    }
  });
});

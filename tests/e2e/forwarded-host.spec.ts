import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { Page } from "@playwright/test";
import { EMULATOR_PORT } from "../../playwright.config";
import { demoEnv } from "../../scripts/demo-env";
import { emulator, expect, test, USERS } from "./fixtures";

/**
 * A forged X-Forwarded-Host (and -Proto) moves no redirect, cookie or origin decision: not the sign-in's
 * redirect_uri at Entra, not the callback, not the session cookie's name, not the same-origin check of
 * POST /api/teams-token, not sign-out's redirect. Once against the portal Playwright starts (AUTH_URL set), once
 * against a second production server without AUTH_URL (demo mode), where only the request guard's pinning of the
 * forwarded headers stands between the forged header and Auth.js.
 */

const ROOT = path.resolve(import.meta.dirname, "../..");
const FORGED = { "x-forwarded-host": "evil.example", "x-forwarded-proto": "https" };

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === "string") throw new Error("no free port");
  return address.port;
}

async function startPortalWithoutAuthUrl(): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const { AUTH_URL: _omitted, ...env } = demoEnv({ portalPort: port, emulatorPort: EMULATOR_PORT });
  const child = spawn(
    process.execPath,
    ["node_modules/next/dist/bin/next", "start", "--port", String(port)],
    {
      cwd: ROOT,
      env: { ...process.env, ...env, AUTH_URL: "", NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const url = `http://localhost:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}:\n${output}`);
    if (
      await fetch(`${url}/api/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { url, child };
    if (Date.now() > deadline) throw new Error(`next start on ${port} did not become healthy:\n${output}`);
    await sleep(200);
  }
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
  await expect(page).toHaveURL(`${portal}/?signed-out=1`);
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
  let portal: { url: string; child: ChildProcess } | undefined;

  test.beforeAll(async () => {
    test.setTimeout(90_000);
    portal = await startPortalWithoutAuthUrl();
  });

  test.afterAll(async () => {
    const child = portal?.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => child.kill("SIGKILL"), 5_000);
      child.once("exit", () => {
        clearTimeout(force);
        resolve();
      });
      child.kill("SIGTERM");
    });
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

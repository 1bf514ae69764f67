import path from "node:path";
import type { BrowserContext, Cookie, Page } from "@playwright/test";
import { HTTPS_PORT } from "../../playwright.config";
import { DEMO, demoEnv } from "../../scripts/demo-env";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import { freePort } from "../support/ports";
import { type StandalonePortal, startStandalonePortal } from "../support/standalone-portal";
import { hasNginx, startTlsProxy, type TlsProxy } from "../support/tls-proxy";
import { expect, signIn, test, USERS } from "./fixtures";

/**
 * The production shape: the standalone server exactly as the image starts it, behind a TLS-terminating reverse
 * proxy (nginx, HTTP/2, X-Forwarded-*), configured with its public https URL, against stand-ins that are reached
 * over https too and issue tokens of real Entra size, so the session cookie is split into chunks.
 */

const PUBLIC_URL = `https://localhost:${HTTPS_PORT}`;
const CALLBACK = `${PUBLIC_URL}/api/auth/callback/microsoft-entra-id`;
const SESSION_CHUNK = /^__Secure-authjs\.session-token\.(\d+)$/;
/** What a browser keeps at most per cookie (name, value and attributes); Auth.js chunks below it. */
const BROWSER_COOKIE_LIMIT = 4_096;

let emu: TestEmulator;
let portal: StandalonePortal;
let proxy: TlsProxy;

test.describe.configure({ mode: "serial" });
test.skip(!hasNginx, "nginx is not installed (apt-get install nginx)");
// The throwaway localhost certificate is not in Chromium's trust store.
test.use({ baseURL: PUBLIC_URL, ignoreHTTPSErrors: true });

test.beforeAll(async () => {
  test.setTimeout(90_000);
  const emulatorHttpsPort = await freePort();
  const emulatorHttps = `https://localhost:${emulatorHttpsPort}`;
  // Entra and ACS are https in production: the browser and the portal reach the stand-ins over https only.
  emu = await startTestEmulator({
    httpsPort: emulatorHttpsPort,
    publicUrl: emulatorHttps,
    realSizeTokens: true,
  });
  const upstreamPort = await freePort();
  portal = await startStandalonePortal(upstreamPort, {
    ...demoEnv({ portalPort: HTTPS_PORT, emulatorPort: Number(new URL(emu.url).port) }),
    AUTH_URL: PUBLIC_URL,
    EMULATOR_URL: emulatorHttps,
    ACS_CONNECTION_STRING: `endpoint=${emulatorHttps}/;accesskey=${DEMO.acsKey}`,
    NODE_EXTRA_CA_CERTS: path.resolve(import.meta.dirname, "../../emulator/certs/cert.pem"),
    ENTRA_REFRESH_MARGIN_SECONDS: "3",
  });
  proxy = await startTlsProxy(HTTPS_PORT, upstreamPort);
});

test.afterAll(async () => {
  await proxy?.stop();
  await portal?.stop();
  await emu?.close();
});

test.beforeEach(async () => {
  await emu.control("reset");
});

test.afterEach(() => {
  const info = test.info();
  if (info.status !== info.expectedStatus) {
    console.log(`--- server.js output ---\n${portal.output()}\n--- nginx output ---\n${proxy.output()}`);
  }
});

async function portalCookies(context: BrowserContext): Promise<Cookie[]> {
  return context.cookies(PUBLIC_URL);
}

/** The session cookie's chunks in order (.0, .1, …); fails if Auth.js kept it whole. */
async function sessionChunks(context: BrowserContext): Promise<Cookie[]> {
  const cookies = await portalCookies(context);
  expect(cookies.map((c) => c.name)).not.toContain("__Secure-authjs.session-token");
  return cookies
    .filter((c) => SESSION_CHUNK.test(c.name))
    .sort((a, b) => Number(SESSION_CHUNK.exec(a.name)?.[1]) - Number(SESSION_CHUNK.exec(b.name)?.[1]));
}

async function expectChunkedSession(context: BrowserContext): Promise<Cookie[]> {
  const chunks = await sessionChunks(context);
  expect(chunks.length, "the real-size session is split into chunks").toBeGreaterThanOrEqual(2);
  expect(chunks.map((c) => c.name)).toEqual(chunks.map((_, i) => `__Secure-authjs.session-token.${i}`));
  for (const chunk of chunks) {
    expect(chunk).toMatchObject({ secure: true, httpOnly: true, sameSite: "Lax", path: "/" });
    expect(chunk.name.length + chunk.value.length).toBeLessThan(BROWSER_COOKIE_LIMIT);
  }
  const total = chunks.reduce((sum, c) => sum + c.name.length + 1 + c.value.length, 0);
  expect(total, "the session would not fit in one cookie").toBeGreaterThan(BROWSER_COOKIE_LIMIT);
  test.info().annotations.push({
    type: "session cookie",
    description: `${chunks.length} chunks of ${chunks.map((c) => c.value.length).join(" + ")} bytes (${total} with names)`,
  });
  return chunks;
}

/** Every redirect the portal answers, and the redirect_uri it sends to Entra, must name the public https URL. */
function watchRedirects(page: Page): { problems: string[]; redirects: string[]; authorizeCalls: number } {
  const watched = { problems: [] as string[], redirects: [] as string[], authorizeCalls: 0 };
  const { problems, redirects } = watched;
  page.on("response", (response) => {
    const url = new URL(response.url());
    if (url.origin !== PUBLIC_URL) return;
    const location = response.headers().location ?? response.headers()["x-action-redirect"];
    if (!location) return;
    redirects.push(location);
    const target = new URL(location, PUBLIC_URL);
    if (target.origin !== PUBLIC_URL && !target.pathname.endsWith("/oauth2/v2.0/authorize")) {
      problems.push(`${url.pathname} → ${location}`);
    }
  });
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (!url.pathname.endsWith("/oauth2/v2.0/authorize")) return;
    watched.authorizeCalls += 1;
    const redirectUri = url.searchParams.get("redirect_uri");
    if (redirectUri !== CALLBACK) problems.push(`authorize with redirect_uri ${redirectUri}`);
  });
  return watched;
}

test("over https behind the TLS proxy: sign-in, Secure cookies in chunks, HSTS, public-URL redirects and origin check, Teams token, renewal, sign-out", async ({
  page,
}) => {
  const watched = watchRedirects(page);
  const home = await page.goto("/");
  expect(home?.headers()["strict-transport-security"]).toBe("max-age=63072000; includeSubDomains");
  expect(home?.headers()["content-security-policy"]).toContain("upgrade-insecure-requests");

  await signIn(page, USERS.adele);
  await expect(page).toHaveURL(`${PUBLIC_URL}/token`);
  await expect(page.getByTestId("username")).toHaveText(USERS.adele);

  const cookies = await portalCookies(page.context());
  for (const cookie of cookies) {
    expect(cookie.secure, `${cookie.name} is Secure`).toBe(true);
    if (cookie.name.includes("authjs")) expect(cookie.name).toMatch(/^__(Secure|Host)-authjs\./);
  }
  expect(cookies.find((c) => c.name === "__Host-authjs.csrf-token")).toMatchObject({
    path: "/",
    secure: true,
  });
  await expectChunkedSession(page.context());

  const tokenPage = await page.reload();
  expect(tokenPage?.headers()["strict-transport-security"]).toBe("max-age=63072000; includeSubDomains");

  // The Teams token through the page's server action (Next.js checks its Origin against X-Forwarded-Host).
  await page.getByRole("button", { name: "Get Teams token" }).click();
  await expect(page.getByTestId("token-status")).toHaveAttribute("data-status", "success");
  await page.getByRole("button", { name: "Renew Teams token" }).click();
  await expect
    .poll(async () => (await emu.control<{ exchanges: { succeeded: number } }>("stats")).exchanges.succeeded)
    .toBe(2);
  await expect(page.getByTestId("token-status")).toHaveAttribute("data-status", "success");

  // The API's origin check compares with the public https origin: the same host over http is another origin.
  const api = page.request;
  const ok = await api.post("/api/teams-token", { headers: { origin: PUBLIC_URL } });
  expect(ok.status()).toBe(200);
  expect(ok.headers()["strict-transport-security"]).toBeTruthy();
  expect((await ok.json()).teamsUserId).toMatch(/^8:orgid:/);
  for (const origin of [`http://localhost:${HTTPS_PORT}`, portal.url]) {
    const refused = await api.post("/api/teams-token", { headers: { origin } });
    expect(refused.status(), origin).toBe(403);
    expect((await refused.json()).code).toBe("FORBIDDEN_ORIGIN");
  }

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(`${PUBLIC_URL}/?signed-out=1`);
  await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeVisible();
  expect(await sessionChunks(page.context()), "sign-out clears every chunk").toEqual([]);
  expect(watched.problems).toEqual([]);
  expect(watched.authorizeCalls).toBe(1);
  // The callback's redirect to /token and the sign-out's to / were among them.
  expect(watched.redirects.length).toBeGreaterThanOrEqual(2);
});

test("with chunked cookies, an expired Entra token is renewed (new chunks, no stale ones), a Teams token follows, sign-out clears all", async ({
  page,
}) => {
  await emu.control("config", { accessTokenLifetimeSeconds: 8 });
  await signIn(page, USERS.adele);
  await expect(page).toHaveURL(`${PUBLIC_URL}/token`);
  const before = await expectChunkedSession(page.context());
  const firstExpiry = await page.getByTestId("entra-expires-at").getAttribute("data-value");
  const stats = () => emu.control<{ tokens: { authorization_code: number; refresh_token: number } }>("stats");
  const refreshesBefore = (await stats()).tokens.refresh_token;

  await page.waitForTimeout(9_000);
  await page.reload();
  const secondExpiry = await page.getByTestId("entra-expires-at").getAttribute("data-value");
  expect(new Date(secondExpiry ?? "").getTime()).toBeGreaterThan(new Date(firstExpiry ?? "").getTime());
  expect((await stats()).tokens.refresh_token).toBeGreaterThan(refreshesBefore);
  expect((await stats()).tokens.authorization_code).toBe(1);

  const after = await expectChunkedSession(page.context());
  expect(after.map((c) => c.value).join("")).not.toBe(before.map((c) => c.value).join(""));

  await page.getByRole("button", { name: "Get Teams token" }).click();
  await expect(page.getByTestId("token-status")).toHaveAttribute("data-status", "success");

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(`${PUBLIC_URL}/?signed-out=1`);
  expect(await sessionChunks(page.context())).toEqual([]);
  await page.goto("/token");
  await expect(page.getByTestId("username")).toHaveCount(0);
});

import { DEMO } from "../../scripts/demo-env";
import { emulator, expect, signIn, test, USERS } from "./fixtures";

test.beforeEach(async () => {
  await emulator.reset();
});

test("a Contoso user signs in, gets a Teams token that expires with the Entra token, renews it and signs out", async ({
  page,
}) => {
  await signIn(page, USERS.adele);
  await expect(page).toHaveURL(/\/token$/);
  await expect(page.getByTestId("username")).toHaveText(USERS.adele);
  await expect(page.getByTestId("tenant-id")).toHaveText(DEMO.tenants.contoso);
  await expect(page.getByTestId("scope-Teams.ManageCalls")).toHaveAttribute("data-granted", "true");
  await expect(page.getByTestId("scope-Teams.ManageChats")).toHaveAttribute("data-granted", "true");
  // "held" when an earlier test left Adele's token in the portal's cache: renew it, so that this one is new.
  const status = page.getByTestId("token-status");
  await expect(status).toHaveAttribute("data-status", /^(idle|held)$/);
  const first =
    (await status.getAttribute("data-status")) === "held" ? "Renew Teams token" : "Get Teams token";

  await page.getByRole("button", { name: first }).click();
  await expect(page.getByTestId("token-status")).toHaveAttribute("data-status", "success");
  const entraExpiry = await page.getByTestId("entra-expires-at").getAttribute("data-value");
  const teamsExpiry = await page.getByTestId("teams-expires-on").getAttribute("data-value");
  expect(new Date(teamsExpiry ?? "").getTime()).toBe(new Date(entraExpiry ?? "").getTime());
  await expect(page.getByTestId("countdown")).toHaveText(/\d+ min \d+ s|\d+ h \d+ min/);
  const afterFirst = await emulator.stats();
  expect(afterFirst.exchanges.succeeded).toBe(1);

  await page.getByRole("button", { name: "Renew Teams token" }).click();
  await expect(page.getByRole("button", { name: "Renew Teams token" })).toBeEnabled();
  await expect.poll(async () => (await emulator.stats()).exchanges.succeeded).toBe(2);
  await expect(page.getByTestId("token-status")).toHaveAttribute("data-status", "success");

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeVisible();
  await page.goto("/token");
  await expect(page.getByRole("heading", { name: "My Teams token" })).toBeVisible();
  await expect(page.getByTestId("username")).toHaveCount(0);
});

test("each failing demo user sees its own reason and remedy", async ({ page }) => {
  const cases = [
    { user: USERS.megan, code: "AADSTS_CONSENT_REQUIRED", text: /has not consented/ },
    { user: USERS.nestor, code: "AADSTS_SERVICE_PRINCIPAL_MISSING", text: /service principal/ },
    { user: USERS.lee, code: "AADSTS_CONSENT_DECLINED", text: /Consent was declined/ },
    { user: USERS.alex, code: "TENANT_NOT_ALLOWED", text: /not enabled on this portal/ },
  ];
  for (const { user, code, text } of cases) {
    await page.context().clearCookies();
    await signIn(page, user);
    // Lee is asked for consent at the stand-in and cancels.
    if (user === USERS.lee) await page.getByRole("button", { name: "Cancel" }).click();
    await expect(page).toHaveURL(/\/auth\/error/);
    await expect(page.locator(`[data-error-code="${code}"]`)).toBeVisible();
    await expect(page.locator("[data-error-code]")).toContainText(text);
  }
  await expect(page.locator("[data-error-code]")).toContainText(DEMO.tenants.tailspin);

  await page.context().clearCookies();
  await signIn(page, USERS.lynne);
  await expect(page).toHaveURL(/\/token$/);
  await expect(page.getByTestId("scope-Teams.ManageChats")).toHaveAttribute("data-granted", "false");
  await expect(page.locator('[data-error-code="ENTRA_TOKEN_MISSING_SCOPE"]')).toHaveCount(1);
  await expect(page.getByRole("button", { name: "Get Teams token" })).toBeDisabled();
  expect((await emulator.stats()).exchanges.total).toBe(0);
});

test("an expired Entra token is renewed without a new sign-in", async ({ page }) => {
  await emulator.setTokenLifetime(8);
  await signIn(page, USERS.adele);
  await expect(page).toHaveURL(/\/token$/);
  const firstExpiry = await page.getByTestId("entra-expires-at").getAttribute("data-value");
  const before = await emulator.stats();
  await page.waitForTimeout(9_000);
  await page.reload();
  const secondExpiry = await page.getByTestId("entra-expires-at").getAttribute("data-value");
  expect(new Date(secondExpiry ?? "").getTime()).toBeGreaterThan(new Date(firstExpiry ?? "").getTime());
  expect((await emulator.stats()).tokens.refresh_token).toBeGreaterThan(before.tokens.refresh_token);
  expect((await emulator.stats()).tokens.authorization_code).toBe(before.tokens.authorization_code);
  await page.getByRole("button", { name: "Get Teams token" }).click();
  await expect(page.getByTestId("token-status")).toHaveAttribute("data-status", "success");
});

test.describe("POST /api/teams-token", () => {
  test("refuses requests without a session, from other origins, and malformed bodies", async ({
    page,
    request,
  }) => {
    const anonymous = await request.post("/api/teams-token");
    expect(anonymous.status()).toBe(401);
    expect(anonymous.headers()["content-type"]).toContain("application/problem+json");
    expect((await anonymous.json()).code).toBe("UNAUTHENTICATED");

    await signIn(page, USERS.adele);
    await expect(page).toHaveURL(/\/token$/);
    const api = page.request;

    const ok = await api.post("/api/teams-token", { headers: { origin: new URL(page.url()).origin } });
    expect(ok.status()).toBe(200);
    expect(ok.headers()["cache-control"]).toBe("no-store");
    const body = await ok.json();
    expect(body.teamsUserId).toMatch(/^8:orgid:[0-9a-f-]{36}$/);
    expect(body.tenantId).toBe(DEMO.tenants.contoso);
    expect(Object.keys(body).sort()).toEqual(["expiresOn", "teamsUserId", "tenantId", "token"]);

    const crossSite = await api.post("/api/teams-token", { headers: { origin: "https://evil.example" } });
    expect(crossSite.status()).toBe(403);
    expect((await crossSite.json()).code).toBe("FORBIDDEN_ORIGIN");

    for (const data of [
      "{not json",
      JSON.stringify({ forceRefresh: "yes" }),
      JSON.stringify({ extra: 1 }),
      "[]",
    ]) {
      const bad = await api.post("/api/teams-token", {
        headers: { "content-type": "application/json" },
        data,
      });
      expect(bad.status(), data).toBe(400);
      expect((await bad.json()).code).toBe("BAD_REQUEST");
    }
    const wrongType = await api.post("/api/teams-token", {
      headers: { "content-type": "text/plain" },
      data: "hello",
    });
    expect(wrongType.status()).toBe(415);
    const get = await api.get("/api/teams-token");
    expect(get.status()).toBe(405);
    expect(JSON.stringify(await get.json())).not.toMatch(/at .*\.js|Error:/);
  });
});

test("expiry times are shown in the reader's time zone, with its offset", async ({ browser }) => {
  const context = await browser.newContext({ timezoneId: "Asia/Kolkata" });
  const page = await context.newPage();
  await signIn(page, USERS.adele);
  await expect(page).toHaveURL(/\/token$/);
  const entra = page.getByTestId("entra-expires-at");
  const iso = (await entra.getAttribute("data-value")) ?? "";
  // India is UTC+05:30 all year: the instant plus 5 h 30 min, written in the portal's one format.
  const shifted = new Date(new Date(iso).getTime() + 330 * 60_000).toISOString();
  await expect(entra.locator("time")).toHaveText(`${shifted.replace("T", " ").slice(0, 19)} UTC+05:30`);
  await context.close();
});

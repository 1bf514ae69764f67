import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { PORTAL_PORT } from "../../playwright.config";
import { DEMO } from "../../scripts/demo-env";
import { EMULATOR_URL, emulator, expect, signIn, test, USERS } from "./fixtures";

/** Teams Phone extensibility in Chromium on the stand-ins: the admin assigns, the user gets a token, removal refuses. */

const ADELE_OID = "72a52e20-3380-413b-8a70-aa57a4194c13";
const DIEGO = { username: "diego@contoso.com", oid: "34bc4147-581a-440d-9beb-c80408dc4208" };
const RESOURCE_ID = "b1ca8f9b-5bfc-492a-aad9-2e86abf51608";
const NEW_CODES = [
  "TEAMS_PHONE_DISABLED",
  "TEAMS_PHONE_SCOPE_MISSING",
  "TEAMS_PHONE_NO_ASSIGNMENT",
  "TEAMS_PHONE_APP_NOT_ALLOWED",
  "TEAMS_PHONE_TOKEN_REFUSED",
  "TEAMS_PHONE_ASSIGNMENT_NOT_FOUND",
  "TEAMS_PHONE_ASSIGNMENT_INVALID",
  "TEAMS_PHONE_ADMIN_REQUIRED",
];

interface TpeStats {
  teamsExtension: { exchanges: { total: number; succeeded: number; failed: number }; assignments: number };
}
const tpeStats = async (): Promise<TpeStats["teamsExtension"]> =>
  ((await (await fetch(`${EMULATOR_URL}/_emulator/stats`)).json()) as TpeStats).teamsExtension;

const phoneStatus = (page: Page) => page.getByTestId("phone-token-status");

async function lookUp(page: Page, tenantId: string, objectId: string) {
  await page.goto("/admin/teams-phone");
  await page.getByLabel("Tenant id").fill(tenantId);
  await page.getByLabel("Object id").fill(objectId);
  await page.getByRole("button", { name: "Look up" }).click();
  await expect(page.getByTestId("assignment")).toBeVisible();
}

// Two sign-ins and several server round trips per test: slow on a shared 2-core machine.
test.describe.configure({ timeout: 180_000 });

test.beforeEach(async () => {
  await emulator.reset();
});

test("Adele gets a Teams Phone token for her 8:acs identity and renews it", async ({ page }) => {
  await signIn(page, USERS.adele);
  await expect(page).toHaveURL(/\/token$/);
  await expect(phoneStatus(page)).toHaveAttribute("data-status", "idle");
  await expect(page.locator('[data-error-code="TEAMS_PHONE_SCOPE_MISSING"]')).toHaveCount(0);

  await page.getByRole("button", { name: "Get Teams Phone token" }).click();
  await expect(phoneStatus(page)).toHaveAttribute("data-status", "success");
  await expect(page.getByTestId("phone-acs-id")).toHaveText(
    `8:acs:${RESOURCE_ID}_${DEMO.tenants.contoso}_${ADELE_OID}`,
  );
  // 1 exchange, or 0 when an earlier test left Adele's token in the portal's cache (it outlives a test).
  const exchanged = (await tpeStats()).exchanges.succeeded;
  expect(exchanged).toBeLessThanOrEqual(1);

  await page.getByRole("button", { name: "Renew Teams Phone token" }).click();
  await expect.poll(async () => (await tpeStats()).exchanges.succeeded).toBe(exchanged + 1);
  await expect(phoneStatus(page)).toHaveAttribute("data-status", "success");
  // A renewed Teams Phone token expires with the Entra token it was exchanged from.
  const entraExpiry = await page.getByTestId("entra-expires-at").getAttribute("data-value");
  await expect
    .poll(async () =>
      new Date((await page.getByTestId("phone-expires-on").getAttribute("data-value")) ?? "").getTime(),
    )
    .toBe(new Date(entraExpiry ?? "").getTime());
  await expect(page.getByRole("button", { name: "Renew Teams Phone token" })).toBeEnabled();
  // The Teams-user card is untouched by it: no exchange, at most the note that an earlier token is still held.
  await expect(page.getByTestId("token-status")).toHaveAttribute("data-status", /^(idle|held)$/);
});

test("Diego (admin) creates, replaces and removes his own assignment; each change is in the audit log", async ({
  page,
}) => {
  await signIn(page, DIEGO.username);
  await expect(page).toHaveURL(/\/token$/);
  // No assignment yet: the precise remedy on his own token card.
  await page.getByRole("button", { name: "Get Teams Phone token" }).click();
  await expect(phoneStatus(page).locator('[data-error-code="TEAMS_PHONE_NO_ASSIGNMENT"]')).toBeVisible();

  await page.goto("/admin/teams-phone");
  await page.getByRole("link", { name: /Myself/ }).click();
  await expect(page.getByTestId("assignment-none")).toBeVisible();

  // Create: user, the portal's own id (offered and checked) plus one other GUID typed in.
  const other = "0f3a9c1e-2b4d-4e6f-8a0b-1c2d3e4f5a6b";
  await page.getByLabel("Principal type").selectOption("user");
  await page.getByLabel(/Other client app ids/).fill(other);
  await page.getByRole("button", { name: "Create assignment" }).click();
  await expect(page.getByTestId("assignment-details")).toHaveAttribute("data-principal-type", "user");
  await expect(page.getByTestId("assignment-client-ids")).toContainText(DEMO.clientId);
  await expect(page.getByTestId("assignment-client-ids")).toContainText(other);
  await expect(page.getByTestId("audit-log")).toContainText("created");

  // A malformed extra id is refused by the form's validation before ACS is asked.
  await page.getByLabel(/Other client app ids/).fill("not-a-guid");
  await page.getByRole("button", { name: "Replace assignment" }).click();
  await expect(page.locator("#otherClientIds-error")).toContainText("must be a GUID");

  // Replace: a resource account allowed for the desktop sample only.
  await page.getByLabel("Principal type").selectOption("resourceAccount");
  await page.getByLabel(/Other client app ids/).fill("");
  await page.getByRole("checkbox", { name: /This portal/ }).uncheck();
  await page.getByRole("button", { name: "Replace assignment" }).click();
  await expect(page.getByTestId("assignment-details")).toHaveAttribute(
    "data-principal-type",
    "resourceAccount",
  );
  await expect(page.getByTestId("assignment-client-ids")).toHaveText(DEMO.sampleClientId);
  await expect(page.getByTestId("audit-log")).toContainText("replaced · Teams resource account");

  // Remove: the warning stands before the button.
  await expect(page.locator("#remove-warning")).toContainText("revokes this principal's Teams Phone tokens");
  await page.getByRole("button", { name: "Remove assignment" }).click();
  await expect(page.getByTestId("assignment-none")).toBeVisible();
  const log = page.getByTestId("audit-log");
  await expect(log.locator("tbody tr").first()).toContainText("removed");
  await expect(log).toContainText(DIEGO.username);
  await expect(log).toContainText(DIEGO.oid);
});

test("the admin removes Adele's assignment: her token is revoked and she is refused with the remedy", async ({
  page,
  browser,
}) => {
  const adeleContext = await browser.newContext({ baseURL: `http://localhost:${PORTAL_PORT}` });
  const adele = await adeleContext.newPage();
  try {
    await signIn(adele, USERS.adele);
    await expect(adele).toHaveURL(/\/token$/);
    await adele.getByRole("button", { name: "Get Teams Phone token" }).click();
    await expect(phoneStatus(adele)).toHaveAttribute("data-status", "success");
    const token = await adele.locator("#teams-phone-token-value").inputValue();
    expect(token).toMatch(/…/); // masked until shown
    await adele.getByRole("button", { name: "Show token" }).click();
    const acsToken = await adele.locator("#teams-phone-token-value").inputValue();
    const verify = async () =>
      (await (
        await fetch(`${EMULATOR_URL}/_emulator/verify-acs-token`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ token: acsToken }),
        })
      ).json()) as { valid: boolean; reason?: string };
    expect(await verify()).toEqual({ valid: true });

    await signIn(page, DIEGO.username);
    await expect(page).toHaveURL(/\/token$/);
    await lookUp(page, DEMO.tenants.contoso, ADELE_OID);
    await expect(page.getByTestId("assignment-details")).toHaveAttribute("data-principal-type", "user");
    await page.getByRole("button", { name: "Remove assignment" }).click();
    await expect(page.getByTestId("assignment-none")).toBeVisible();
    expect(await verify()).toEqual({ valid: false, reason: "revoked" });

    // A fresh visit asks again (the portal forgot its cached token): refused with the precise remedy.
    await adele.reload();
    await adele.getByRole("button", { name: "Get Teams Phone token" }).click();
    const refusal = phoneStatus(adele).locator('[data-error-code="TEAMS_PHONE_NO_ASSIGNMENT"]');
    await expect(refusal).toBeVisible();
    await expect(refusal.getByTestId("remedy")).toContainText("Teams Phone access page");

    // The admin assigns her again; she gets a token again.
    await page.getByRole("button", { name: "Create assignment" }).click();
    await expect(page.getByTestId("assignment-details")).toHaveAttribute("data-principal-type", "user");
    await adele.getByRole("button", { name: "Get Teams Phone token" }).click();
    await expect(phoneStatus(adele)).toHaveAttribute("data-status", "success");
  } finally {
    await adeleContext.close();
  }
});

test("a user who is not an admin does not get the admin page", async ({ page }) => {
  await signIn(page, USERS.adele);
  await expect(page).toHaveURL(/\/token$/);
  await page.goto("/admin/teams-phone");
  // The portal's admin guard: the forbidden page says which app role is missing (app/lib/require-admin.ts).
  await expect(page).toHaveURL(/\/admin\/forbidden/);
  await expect(page.locator('[data-error-code="ADMIN_ROLE_REQUIRED"]')).toBeVisible();
  await expect(page.getByRole("heading", { name: "Teams Phone access" })).toHaveCount(0);
});

test("the Bearer API serves the Teams Phone kind: the sample client asks with --kind teams-phone", async () => {
  const ROOT = path.resolve(import.meta.dirname, "../..");
  const run = (user: string) =>
    promisify(execFile)(
      process.execPath,
      [
        "--import",
        "tsx",
        "examples/sample-client/main.ts",
        "--portal",
        `http://localhost:${PORTAL_PORT}`,
        "--authority",
        EMULATOR_URL,
        "--user",
        user,
        "--kind",
        "teams-phone",
      ],
      { cwd: ROOT, timeout: 30_000 },
    );
  const { stdout } = await run(USERS.adele);
  expect(stdout).toContain(`ACS identity:  8:acs:${RESOURCE_ID}_${DEMO.tenants.contoso}_${ADELE_OID}`);
  expect(stdout).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./);
  await expect(run(DIEGO.username)).rejects.toMatchObject({
    code: 1,
    stderr: expect.stringContaining("403 TEAMS_PHONE_NO_ASSIGNMENT"),
  });
});

test("/troubleshoot lists every Teams Phone code", async ({ page }) => {
  await page.goto("/troubleshoot");
  for (const code of NEW_CODES) {
    await expect(page.locator(`[id="${code}"]`)).toBeVisible();
  }
});

test("the admin page and the Teams Phone card have no serious or critical axe violations", async ({
  page,
}) => {
  const serious = async () =>
    (
      await new AxeBuilder({ page })
        .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"])
        .analyze()
    ).violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  await signIn(page, DIEGO.username);
  await expect(page).toHaveURL(/\/token$/);
  await page.getByRole("button", { name: "Get Teams Phone token" }).click();
  await expect(phoneStatus(page).locator('[data-error-code="TEAMS_PHONE_NO_ASSIGNMENT"]')).toBeVisible();
  expect(await serious()).toEqual([]);
  await lookUp(page, DEMO.tenants.contoso, ADELE_OID);
  expect(await serious()).toEqual([]);
});

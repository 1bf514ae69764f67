import path from "node:path";
import { DEMO, demoEnv } from "../../scripts/demo-env";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import { freePort } from "../support/ports";
import { type StandalonePortal, startStandalonePortal } from "../support/standalone-portal";
import { expect, test, USERS } from "./fixtures";

/**
 * Keyless ACS as deployed on Azure (infra/): the production build started with ACS_ENDPOINT (no connection string),
 * the user-assigned identity's AZURE_CLIENT_ID and the stand-in's App Service managed-identity endpoint. The ACS
 * stand-in checks that the identity holds Contributor on the resource: with the role the whole path works; without
 * it ACS answers 401 Denied and the admin sees the role remedy. Own stand-in and portal on free ports.
 */

const ROOT = path.resolve(import.meta.dirname, "../..");
const MANAGED_IDENTITY = {
  clientId: "b66c34b5-98a2-46ac-a455-a9eb7dd05048",
  oid: "46ba69ff-0854-4fe2-a16f-7517bdc3476d",
};

let emu: TestEmulator;
/** `url` is the browser's address: localhost, as AUTH_URL says (the server listens on 127.0.0.1, which localhost is). */
let portal: StandalonePortal;

async function startPortal(): Promise<StandalonePortal> {
  const port = await freePort();
  const { ACS_CONNECTION_STRING: _keyed, ...env } = demoEnv({
    portalPort: port,
    emulatorPort: Number(new URL(emu.url).port),
  });
  const started = await startStandalonePortal(port, {
    ...env,
    // What infra/main.bicep gives the app, pointed at the stand-ins.
    ACS_ENDPOINT: emu.httpsUrl ?? "",
    AZURE_CLIENT_ID: MANAGED_IDENTITY.clientId,
    IDENTITY_ENDPOINT: `${emu.url}/msi/token`,
    IDENTITY_HEADER: "demo-identity-header",
    // The stand-in's throwaway certificate, trusted like a real ACS endpoint's public one.
    NODE_EXTRA_CA_CERTS: path.join(ROOT, "emulator/certs/cert.pem"),
  });
  return { ...started, url: `http://localhost:${port}` };
}

const setRole = (granted: boolean) =>
  emu.control("role-assignments", { principalId: MANAGED_IDENTITY.oid, granted });
const succeeded = async () =>
  (await emu.control<{ exchanges: { succeeded: number } }>("stats")).exchanges.succeeded;

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(90_000);
  emu = await startTestEmulator();
  portal = await startPortal();
});

test.afterAll(async () => {
  await portal?.stop();
  await emu?.close();
});

test("keyless: the managed identity with its role gets Teams tokens; without it the admin sees the role remedy", async ({
  page,
  browser,
}) => {
  const health = (await (await fetch(`${portal.url}/api/health`)).json()) as { acsAuth: string };
  expect(health.acsAuth).toBe("managed-identity");

  await page.goto(portal.url);
  await page.getByLabel(/Work email/).fill(USERS.adele);
  await page.getByRole("button", { name: "Sign in with Microsoft" }).click();
  await expect(page).toHaveURL(/\/token$/);
  await page.getByRole("button", { name: "Get Teams token" }).click();
  const status = page.getByTestId("token-status");
  await expect(status).toHaveAttribute("data-status", "success");
  expect(await succeeded()).toBe(1);

  // The role assignment is removed (or was never made, or has not propagated yet).
  await setRole(false);
  await page.getByRole("button", { name: "Renew Teams token" }).click();
  const denied = status.locator('[data-error-code="ACS_IDENTITY_DENIED"]');
  await expect(denied).toBeVisible();
  await expect(denied.getByTestId("remedy")).toContainText(
    "grants the portal's managed identity the Contributor role on the ACS resource",
  );
  await expect(denied.getByTestId("remedy")).toContainText("az role assignment create");
  await expect(denied.getByTestId("remedy")).toContainText(
    "up to ~10 minutes for the assignment to propagate",
  );
  await expect(denied).toContainText("The portal's administrator");
  await expect(denied).not.toContainText(/connection string|access key/i);

  // The portal's admin (app role TokenPortal.Admin) sees the same on the diagnostics, with the command to run.
  const adminContext = await browser.newContext();
  try {
    const admin = await adminContext.newPage();
    await admin.goto(`${portal.url}/admin/diagnostics`);
    await admin.getByLabel(/Work email/).fill(USERS.diego);
    await admin.getByRole("button", { name: "Sign in with Microsoft" }).click();
    await expect(admin).toHaveURL(/\/admin\/diagnostics$/);
    await expect(admin.getByTestId("acs-check")).toContainText(
      "refuses the portal's managed identity: grant it the Contributor role",
    );
    await expect(admin.getByTestId("acs-role-command")).toHaveText(
      `az role assignment create --assignee ${MANAGED_IDENTITY.clientId} --role Contributor --scope <ACS resource id>`,
    );
  } finally {
    await adminContext.close();
  }

  // Granted again: the next renewal exchanges with the identity once more.
  await setRole(true);
  await page.goto(`${portal.url}/token`);
  await page.getByRole("button", { name: "Get Teams token" }).click();
  await expect(status).toHaveAttribute("data-status", "success");
  await page.getByRole("button", { name: "Renew Teams token" }).click();
  await expect.poll(succeeded).toBe(2);
  await expect(status).toHaveAttribute("data-status", "success");
  expect(portal.output()).not.toContain(DEMO.clientSecret);
});

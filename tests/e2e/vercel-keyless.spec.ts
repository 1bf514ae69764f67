import path from "node:path";
import { expect, test } from "@playwright/test";
import { DEMO, demoEnv } from "../../scripts/demo-env";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import { freePort } from "../support/ports";
import { type StandalonePortal, startStandalonePortal } from "../support/standalone-portal";

/**
 * Keyless ACS from Vercel, end to end: the production build's standalone server (as the image runs it) configured
 * as on Vercel (ACS_CREDENTIAL=vercel-oidc, no connection string anywhere), with a Vercel-style OIDC token minted by
 * the stand-in in VERCEL_OIDC_TOKEN, which @vercel/oidc reads. A user signs in in Chromium and gets a Teams token:
 * the portal's ACS call is authenticated by the workload identity's federated app token. Own stand-in, own port.
 */

const ROOT = path.resolve(import.meta.dirname, "../..");
const WORKLOAD_CLIENT_ID = "5f0c2d1e-8a47-4b6e-9d3c-7e21a4b9c6f0";

let emu: TestEmulator;
let portal: StandalonePortal | undefined;
/** The browser's address: localhost, as AUTH_URL says (the server listens on 127.0.0.1, which localhost is). */
let portalUrl: string;

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  emu = await startTestEmulator();
  const port = await freePort();
  const { token: vercelOidcToken } = await emu.control<{ token: string }>("vercel-oidc-token", {});
  portal = await startStandalonePortal(port, {
    ...demoEnv({ portalPort: port, emulatorPort: Number(new URL(emu.url).port) }),
    ACS_CONNECTION_STRING: "",
    ACS_CREDENTIAL: "vercel-oidc",
    ACS_ENDPOINT: emu.httpsUrl as string,
    AZURE_TENANT_ID: DEMO.tenants.contoso,
    AZURE_CLIENT_ID: WORKLOAD_CLIENT_ID,
    AZURE_AUTHORITY_HOST: emu.httpsUrl as string,
    VERCEL_OIDC_TOKEN: vercelOidcToken,
    // The stand-in's throwaway certificate, for the https authority and ACS endpoint.
    NODE_EXTRA_CA_CERTS: path.join(ROOT, "emulator/certs/cert.pem"),
  });
  portalUrl = `http://localhost:${port}`;
});

test.afterAll(async () => {
  await portal?.stop();
  await emu?.close();
});

test("a user signs in and gets a Teams token; ACS is called with the federated app token, not a key", async ({
  page,
}) => {
  await page.goto(`${portalUrl}/`);
  await page.getByLabel(/Work email/).fill("adele@contoso.com");
  await page.getByRole("button", { name: "Sign in with Microsoft" }).click();
  await expect(page).toHaveURL(/\/token$/);
  await page.getByRole("button", { name: "Get Teams token" }).click();
  await expect(page.getByTestId("token-status")).toHaveAttribute("data-status", "success");

  const stats = await emu.control<{
    exchanges: { succeeded: number };
    tokens: { client_credentials: number };
  }>("stats");
  expect(stats.exchanges.succeeded).toBe(1);
  // One client-assertion grant: the Vercel OIDC token was presented and the app token is reused.
  expect(stats.tokens.client_credentials).toBe(1);
  expect(portal?.output() ?? "").not.toContain(DEMO.acsKey);
});

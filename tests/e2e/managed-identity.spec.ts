import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { DEMO, demoEnv } from "../../scripts/demo-env";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
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
let portal: { url: string; child: ChildProcess; output: () => string };

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === "string") throw new Error("no free port");
  return address.port;
}

async function startPortal(): Promise<typeof portal> {
  const port = await freePort();
  const { ACS_CONNECTION_STRING: _keyed, ...env } = demoEnv({
    portalPort: port,
    emulatorPort: Number(new URL(emu.url).port),
  });
  const child = spawn(
    process.execPath,
    ["node_modules/next/dist/bin/next", "start", "--port", String(port)],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        ...env,
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
        // What infra/main.bicep gives the app, pointed at the stand-ins.
        ACS_ENDPOINT: emu.httpsUrl ?? "",
        AZURE_CLIENT_ID: MANAGED_IDENTITY.clientId,
        IDENTITY_ENDPOINT: `${emu.url}/msi/token`,
        IDENTITY_HEADER: "demo-identity-header",
        // The stand-in's throwaway certificate, trusted like a real ACS endpoint's public one.
        NODE_EXTRA_CA_CERTS: path.join(ROOT, "emulator/certs/cert.pem"),
      },
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
      break;
    if (Date.now() > deadline) throw new Error(`next start on ${port} did not become healthy:\n${output}`);
    await sleep(200);
  }
  return { url, child, output: () => output };
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
  const child = portal?.child;
  if (child && child.exitCode === null && child.signalCode === null) {
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => child.kill("SIGKILL"), 5_000);
      child.once("exit", () => {
        clearTimeout(force);
        resolve();
      });
      child.kill("SIGTERM");
    });
  }
  await emu?.close();
});

test("keyless: the managed identity with its role gets Teams tokens; without it the admin sees the role remedy", async ({
  page,
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

  // What the portal's administrator sees: the diagnostics (admin app role), with the live check and the fix.
  await page.context().clearCookies();
  await page.goto(portal.url);
  await page.getByLabel(/Work email/).fill(USERS.diego);
  await page.getByRole("button", { name: "Sign in with Microsoft" }).click();
  await expect(page).toHaveURL(/\/token$/);
  await page.goto(`${portal.url}/admin/diagnostics`);
  await expect(page.getByTestId("acs-check")).toContainText(
    "refuses the portal's managed identity: grant it the Contributor role",
  );
  await expect(page.getByTestId("acs-role-command")).toHaveText(
    `az role assignment create --assignee ${MANAGED_IDENTITY.clientId} --role Contributor --scope <ACS resource id>`,
  );

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

import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { expect, test } from "@playwright/test";
import { DEMO, demoEnv } from "../../scripts/demo-env";
import { startTestEmulator, type TestEmulator } from "../support/emulator";

/**
 * Keyless ACS from Vercel, end to end: a `next start` of the production build configured as on Vercel
 * (ACS_CREDENTIAL=vercel-oidc, no connection string anywhere), with a Vercel-style OIDC token minted by the
 * stand-in in VERCEL_OIDC_TOKEN, which @vercel/oidc reads. A user signs in in Chromium and gets a Teams token: the
 * portal's ACS call is authenticated by the workload identity's federated app token. Own stand-in, own port.
 */

const ROOT = path.resolve(import.meta.dirname, "../..");
const WORKLOAD_CLIENT_ID = "5f0c2d1e-8a47-4b6e-9d3c-7e21a4b9c6f0";

let emu: TestEmulator;
let portal: { url: string; child: ChildProcess; output: () => string } | undefined;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === "string") throw new Error("no free port");
  return address.port;
}

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  emu = await startTestEmulator();
  const port = await freePort();
  const { token: vercelOidcToken } = await emu.control<{ token: string }>("vercel-oidc-token", {});
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...demoEnv({ portalPort: port, emulatorPort: Number(new URL(emu.url).port) }),
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    ACS_CONNECTION_STRING: "",
    ACS_CREDENTIAL: "vercel-oidc",
    ACS_ENDPOINT: emu.httpsUrl as string,
    AZURE_TENANT_ID: DEMO.tenants.contoso,
    AZURE_CLIENT_ID: WORKLOAD_CLIENT_ID,
    AZURE_AUTHORITY_HOST: emu.httpsUrl as string,
    VERCEL_OIDC_TOKEN: vercelOidcToken,
    // The stand-in's throwaway certificate, for the https authority and ACS endpoint.
    NODE_EXTRA_CA_CERTS: path.join(ROOT, "emulator/certs/cert.pem"),
  };
  const child = spawn(
    process.execPath,
    ["node_modules/next/dist/bin/next", "start", "--port", String(port)],
    {
      cwd: ROOT,
      env,
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
  portal = { url, child, output: () => output };
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
    if (Date.now() > deadline) throw new Error(`next start did not become healthy:\n${output}`);
    await sleep(200);
  }
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

test("a user signs in and gets a Teams token; ACS is called with the federated app token, not a key", async ({
  page,
}) => {
  const url = portal?.url as string;
  await page.goto(`${url}/`);
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

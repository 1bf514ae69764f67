import { defineConfig, devices } from "@playwright/test";
import { variables } from "./lib/config/schema";
import { demoEnv } from "./scripts/demo-env";
import { standaloneServerCommand, standaloneServerEnv } from "./scripts/standalone-server";

export const PORTAL_PORT = Number(process.env.E2E_PORTAL_PORT ?? 3200);
export const EMULATOR_PORT = Number(process.env.E2E_EMULATOR_PORT ?? 3300);
/** The TLS-terminating proxy of the production-shape spec (tests/e2e/https-ingress.spec.ts). */
export const HTTPS_PORT = Number(process.env.E2E_HTTPS_PORT ?? PORTAL_PORT + 5);
const env = {
  ...demoEnv({ portalPort: PORTAL_PORT, emulatorPort: EMULATOR_PORT }),
  NEXT_TELEMETRY_DISABLED: "1",
  // Short enough for the refresh test, which shortens the stand-in's token lifetime to seconds.
  ENTRA_REFRESH_MARGIN_SECONDS: "3",
};
/** The build gets none of the portal's variables, as when a container image is built without secrets. */
const buildWithoutConfig = `env ${Object.keys(variables)
  .map((name) => `-u ${name}`)
  .join(" ")} npm run build`;

/**
 * End-to-end: the production build, started as the container image starts it (the standalone server.js, see
 * scripts/standalone-server.ts), on the local stand-ins, driven in Debian's Chromium (no browser download).
 */
export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"]] : [["list"]],
  use: {
    baseURL: `http://localhost:${PORTAL_PORT}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"], channel: undefined } }],
  webServer: [
    {
      command: "node --import tsx emulator/main.ts",
      url: `http://localhost:${EMULATOR_PORT}/common/v2.0/.well-known/openid-configuration`,
      env: { ...env, EMULATOR_PORT: String(EMULATOR_PORT), EMULATOR_HTTPS_PORT: String(EMULATOR_PORT + 1) },
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      // E2E_SKIP_BUILD=1 reuses the last build while iterating locally; CI always builds.
      command: `${process.env.E2E_SKIP_BUILD ? "" : `${buildWithoutConfig} && `}${standaloneServerCommand}`,
      url: `http://localhost:${PORTAL_PORT}/api/health`,
      env: { ...env, ...standaloneServerEnv(PORTAL_PORT) },
      reuseExistingServer: false,
      timeout: 300_000,
      stdout: "ignore",
    },
  ],
});

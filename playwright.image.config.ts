import { defineConfig } from "@playwright/test";
import base, { EMULATOR_PORT, PORTAL_PORT } from "./playwright.config";
import { containerEnv } from "./tests/image/container-env";

/**
 * The end-to-end specs against the portal's container image (scripts/test-image.sh starts the container on
 * E2E_PORTAL_PORT and passes its name as IMAGE_CONTAINER). Only the stand-ins are started here.
 */
export default defineConfig({
  ...base,
  testDir: "tests",
  use: { ...base.use, baseURL: `http://localhost:${PORTAL_PORT}` },
  projects: [
    {
      name: "image-e2e",
      testMatch: [
        "e2e/token.spec.ts", // sign-in, token, renewal, refresh, sign-out, the session API
        "e2e/admin-consent.spec.ts",
        "e2e/admin-service-principal.spec.ts",
        "e2e/api-bearer.spec.ts",
        "e2e/static-brotli.spec.ts", // the scripts in brotli from the image's own server
      ],
      use: base.projects?.[0]?.use,
    },
    // Last, as it stops the container: SIGTERM during an exchange.
    { name: "image-shutdown", testMatch: "image/graceful-shutdown.spec.ts", dependencies: ["image-e2e"] },
  ],
  webServer: {
    command: "node --import tsx emulator/main.ts",
    url: `http://localhost:${EMULATOR_PORT}/common/v2.0/.well-known/openid-configuration`,
    env: {
      ...containerEnv({ portalPort: PORTAL_PORT, emulatorPort: EMULATOR_PORT }),
      EMULATOR_PORT: String(EMULATOR_PORT),
      EMULATOR_HTTPS_PORT: String(EMULATOR_PORT + 1),
    },
    reuseExistingServer: false,
    timeout: 30_000,
  },
});

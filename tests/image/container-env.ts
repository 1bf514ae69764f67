import { demoEnv } from "../../scripts/demo-env";

/**
 * The container's whole configuration: environment only, the same demo values as the end-to-end run of the
 * standalone server (playwright.config.ts), on the host's loopback stand-ins (`podman run --network host`).
 */
export function containerEnv({
  portalPort,
  emulatorPort,
}: {
  portalPort: number;
  emulatorPort: number;
}): Record<string, string> {
  return {
    ...demoEnv({ portalPort, emulatorPort }),
    // As in playwright.config.ts: short enough for the refresh test, which shortens the stand-in's token lifetime.
    ENTRA_REFRESH_MARGIN_SECONDS: "3",
    PORT: String(portalPort),
    // Loopback only: the host network is shared, and nothing outside this machine should reach a test portal.
    HOSTNAME: "127.0.0.1",
  };
}

/** `tsx tests/image/container-env.ts <portalPort> <emulatorPort>` prints an env file for `podman run --env-file`. */
if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const [portalPort, emulatorPort] = process.argv.slice(2).map(Number);
  if (!portalPort || !emulatorPort) throw new Error("usage: container-env.ts <portalPort> <emulatorPort>");
  for (const [name, value] of Object.entries(containerEnv({ portalPort, emulatorPort }))) {
    process.stdout.write(`${name}=${value}\n`);
  }
}

import { spawn } from "node:child_process";
import { demoEnv } from "./demo-env";

/** `npm run demo`: the local stand-ins and the portal (Next dev server) with demo users, no Azure account. */
const portalPort = Number(process.env.PORT ?? 3000);
const emulatorPort = Number(process.env.EMULATOR_PORT ?? 3100);
const env = {
  ...process.env,
  ...demoEnv({ portalPort, emulatorPort }),
  EMULATOR_PORT: String(emulatorPort),
  NEXT_TELEMETRY_DISABLED: "1",
};

const children = [
  spawn(process.execPath, ["--import", "tsx", "emulator/main.ts"], { env, stdio: "inherit" }),
  spawn(process.execPath, ["node_modules/next/dist/bin/next", "dev", "--port", String(portalPort)], {
    env,
    stdio: ["ignore", "inherit", "inherit"],
  }),
];

setTimeout(() => {
  console.log(`
  Teams Token Portal (demo mode) → http://localhost:${portalPort}
  Sign in as adele@contoso.com (works), megan@fabrikam.com (needs admin consent), nestor@northwind.com
  (no ACS service principal), lee@contoso.com (declines consent), alex@tailspin.com (tenant not allowed),
  lynne@contoso.com (missing Teams.ManageChats), diego@contoso.com (portal admin: /admin/diagnostics, /admin/teams-phone).
  Press Ctrl+C to stop.
`);
}, 4000).unref();

function stop() {
  for (const child of children) child.kill("SIGTERM");
}
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
for (const child of children) {
  child.on("exit", (code) => {
    stop();
    process.exitCode = code ?? 0;
  });
}

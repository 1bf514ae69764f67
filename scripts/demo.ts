import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { DEMO_PAGES, isBuildFresh } from "./demo-build";
import { demoEnv } from "./demo-env";
import { standaloneServerArgs, standaloneServerEnv } from "./standalone-server";

/**
 * `npm run demo`: the local stand-ins and the portal with demo users, no Azure account.
 *
 * The portal runs as a production build (`npm run build` once, then the standalone `server.js`), not the dev
 * server: the dev server compiles each page on first visit (5-15 s each on 2 vCPUs), a production build answers
 * every page in well under a second from the start. The build is skipped while `.next` is newer than the sources.
 * The banner is printed only after /api/health and every page answered, so "ready" means ready.
 */
const portalPort = Number(process.env.PORT ?? 3000);
const emulatorPort = Number(process.env.EMULATOR_PORT ?? 3100);
const portalUrl = `http://localhost:${portalPort}`;
const emulatorUrl = `http://localhost:${emulatorPort}`;
const env = {
  ...process.env,
  ...demoEnv({ portalPort, emulatorPort }),
  PORT: String(portalPort),
  EMULATOR_PORT: String(emulatorPort),
  NEXT_TELEMETRY_DISABLED: "1",
} as NodeJS.ProcessEnv;
const started = Date.now();
const seconds = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const children: ChildProcess[] = [];
let stopping = false;

function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  process.exitCode = code;
}
process.on("SIGINT", () => stop(0));
process.on("SIGTERM", () => stop(0));

function run(args: string[], options: { quiet?: boolean; env?: Record<string, string> } = {}): ChildProcess {
  const child: ChildProcess = spawn(process.execPath, args, {
    env: { ...env, ...options.env },
    stdio: ["ignore", options.quiet ? "pipe" : "inherit", "inherit"],
  });
  children.push(child);
  child.on("exit", (code) => {
    if (!stopping) {
      console.error(`\n  Demo stopped: ${args.join(" ")} exited with ${code ?? "a signal"}.`);
      stop(code || 1);
    }
  });
  return child;
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(10_000) });
    await response.arrayBuffer();
    return response.status < 500;
  } catch {
    return false;
  }
}

async function waitFor(url: string, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await answers(url))) {
    if (stopping) throw new Error("stopped");
    if (Date.now() > deadline)
      throw new Error(`${what} did not answer at ${url} within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function main() {
  run(["--import", "tsx", "emulator/main.ts"]);

  if (process.env.DEMO_SKIP_BUILD === "1" || isBuildFresh()) {
    console.log("\n  Portal: reusing the production build in .next (sources unchanged).");
  } else {
    console.log(
      "\n  Portal: building for production (first run, or the sources changed; a few minutes on a small machine), please wait…",
    );
    const progress = setInterval(() => console.log(`  Portal: still building (${seconds()})…`), 30_000);
    // `npm run build`: the same build as the image and the tests (standalone server, static files beside it).
    const build: ChildProcess = spawn("npm", ["run", "--silent", "build"], {
      env,
      stdio: ["ignore", "ignore", "inherit"],
    });
    children.push(build);
    const code = await new Promise<number | null>((resolve) => build.on("exit", resolve));
    clearInterval(progress);
    if (stopping) return;
    if (code !== 0) {
      console.error("  Portal: the build failed (see above).");
      return stop(code ?? 1);
    }
    console.log(`  Portal: built (${seconds()}).`);
  }

  console.log("  Portal: starting, please wait…");
  // The standalone server, started as the container image starts it (scripts/standalone-server.ts).
  const server = run(standaloneServerArgs, {
    quiet: true,
    env: standaloneServerEnv(portalPort),
  });
  // Next prints its own "Ready" as soon as it listens; the demo says ready only once every page answers.
  let ready = false;
  if (server.stdout) {
    createInterface({ input: server.stdout }).on("line", (line) => {
      if (ready) console.log(line);
    });
  }
  await waitFor(`${emulatorUrl}/common/v2.0/.well-known/openid-configuration`, "The stand-ins", 60_000);
  await waitFor(`${portalUrl}/api/health`, "The portal", 120_000);
  for (const page of DEMO_PAGES) await waitFor(`${portalUrl}${page}`, `The page ${page}`, 60_000);
  ready = true;

  console.log(`
  Teams Token Portal (demo mode) is ready after ${seconds()} → ${portalUrl}
  Sign in as adele@contoso.com (works), megan@fabrikam.com (needs admin consent), nestor@northwind.com
  (no ACS service principal), lee@contoso.com (is asked for consent, cancels), alex@tailspin.com (tenant not
  allowed), lynne@contoso.com (missing Teams.ManageChats until an admin re-consents),
  diego@contoso.com (portal admin: /admin/diagnostics, /admin/teams-phone).
  Stand-ins on ${emulatorUrl} (https on ${process.env.EMULATOR_HTTPS_PORT ?? emulatorPort + 1}). Press Ctrl+C to stop.
`);
}

main().catch((error: unknown) => {
  if (stopping) return;
  console.error(`\n  Demo could not start: ${error instanceof Error ? error.message : String(error)}`);
  stop(1);
});

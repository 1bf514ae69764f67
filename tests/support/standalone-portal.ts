import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { standaloneServerArgs, standaloneServerEnv } from "../../scripts/standalone-server";

/**
 * The portal as the container image runs it: `node .next/standalone/server.js` (heap capped like `npm start`),
 * configured by PORT, HOSTNAME and the portal's variables only. Needs a production build (`npm run build`).
 */

const ROOT = path.resolve(import.meta.dirname, "../..");

export interface StandalonePortal {
  /** Where the server itself listens, e.g. http://127.0.0.1:4226. */
  url: string;
  child: ChildProcess;
  /** The last 20 000 characters of its stdout and stderr. */
  output: () => string;
  stop: () => Promise<void>;
}

export async function startStandalonePortal(
  port: number,
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<StandalonePortal> {
  const child = spawn(process.execPath, standaloneServerArgs, {
    cwd: ROOT,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env, ...standaloneServerEnv(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const portal: StandalonePortal = {
    url: `http://127.0.0.1:${port}`,
    child,
    output: () => output,
    stop: () => stopChild(child),
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server.js exited with ${child.exitCode}:\n${output}`);
    const ok = await fetch(`${portal.url}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return portal;
    if (Date.now() > deadline) {
      await portal.stop();
      throw new Error(`server.js on ${port} did not become healthy:\n${output}`);
    }
    await sleep(200);
  }
}

/** SIGTERM (what a container runtime sends), then SIGKILL after 5 s. */
export function stopChild(child: ChildProcess | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
    const force = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { variables } from "../../lib/config/schema";
import { STANDALONE_SERVER } from "../../scripts/standalone-server";
import type { TestRedis } from "../integration/support/redis";

/** The production build and the stand-ins, spawned for the resilience suite (loopback only). */

export const ROOT = path.resolve(import.meta.dirname, "../..");

export async function freePort(): Promise<number> {
  for (;;) {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    await new Promise((resolve) => server.close(resolve));
    if (!address || typeof address === "string") continue;
    // The stand-in also listens on port + 1 (https): keep both free.
    const next = createServer();
    const ok = await new Promise<boolean>((resolve) => {
      next.once("error", () => resolve(false));
      next.listen(address.port + 1, "127.0.0.1", () => resolve(true));
    });
    if (ok) await new Promise((resolve) => next.close(resolve));
    if (ok) return address.port;
  }
}

export interface Child {
  name: string;
  process: ChildProcess;
  tail: () => string;
  stop: () => Promise<void>;
}

export function start(name: string, args: string[], env: Record<string, string>): Child {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let tail = "";
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  return {
    name,
    process: child,
    tail: () => tail,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const force = setTimeout(() => child.kill("SIGKILL"), 5_000);
        child.once("exit", () => {
          clearTimeout(force);
          resolve();
        });
        child.kill("SIGTERM");
      }),
  };
}

export const alive = (child: Child) => child.process.exitCode === null && child.process.signalCode === null;

export async function waitFor(url: string, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(url, { signal: AbortSignal.timeout(2_000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await sleep(200);
  }
  throw new Error(`${what} did not answer at ${url} within ${timeoutMs / 1000} s`);
}

/** Reuses the build of the e2e stage when there is one (RESILIENCE_BUILD=1 forces a fresh one). */
export function buildIfNeeded(): Promise<void> {
  const built =
    existsSync(path.join(ROOT, ".next/BUILD_ID")) && existsSync(path.join(ROOT, STANDALONE_SERVER));
  if (built && !process.env.RESILIENCE_BUILD) return Promise.resolve();
  // `npm run build`, as for the image: next build, then server.js completed with its static files (postbuild).
  console.log("Building the portal (npm run build, without its configuration) …");
  const env: Record<string, string | undefined> = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
  for (const name of Object.keys(variables)) delete env[name];
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["run", "build"], {
      cwd: ROOT,
      env: env as NodeJS.ProcessEnv,
      stdio: "inherit",
    });
    child.once("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`npm run build exited with ${code}`)),
    );
  });
}

/** Resident set size of a process in MB (Linux). */
export function rssMb(pid: number | undefined): number {
  if (!pid) return Number.NaN;
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return match ? Math.round(Number(match[1]) / 1024) : Number.NaN;
}

export interface Stack {
  portalUrl: string;
  emulatorUrl: string;
  portal: Child;
  readonly redis: TestRedis;
  restartRedis(): Promise<void>;
}

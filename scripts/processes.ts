/**
 * The child processes of the scripts and suites that start servers (`npm run bench`, `npm run lighthouse`, the
 * resilience suite, the end-to-end specs that start their own portal): each keeps the tail of its output for an
 * error message and stops with SIGTERM (what a container runtime sends), SIGKILL 5 s later; stopAllChildren() stops
 * every one still running (the scripts call it on exit, error and Ctrl-C). With the checks around them: a URL
 * answering, a port free, a build present, a process's memory and CPU time.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { variables } from "../lib/config/schema";
import { STANDALONE_SERVER } from "./standalone-server";

export const ROOT = path.resolve(import.meta.dirname, "..");

export interface Child {
  name: string;
  process: ChildProcess;
  /** The last characters of its stdout and stderr. */
  output(): string;
  alive(): boolean;
  stop(): Promise<void>;
}

interface StartOptions {
  /** The program; `node` (this one) unless said. */
  command?: string;
  cwd?: string;
  /** How much of the output to keep (characters). */
  keep?: number;
}

const running = new Set<Child>();
let stoppingAll = false;

/**
 * Starts `command args` with `env` over this process's environment. An exit before stop() is reported on stderr
 * with the output's tail: a server that dies mid-run says why instead of leaving a timeout to guess from.
 */
export function startChild(
  name: string,
  args: string[],
  env: Record<string, string | undefined>,
  { command = process.execPath, cwd = ROOT, keep = 20_000 }: StartOptions = {},
): Child {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env } as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let tail = "";
  const append = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-keep);
  };
  child.stdout?.on("data", append);
  child.stderr?.on("data", append);
  let stopping = false;
  // A program that is not there (ENOENT) is an 'error' event: unhandled, it would end this process and leave the
  // children already started running.
  child.once("error", (error) => {
    running.delete(handle);
    append(Buffer.from(`\n${name} could not run ${command}: ${error.message}\n`));
    console.error(`\n${name} could not run ${command}: ${error.message}`);
  });
  child.once("exit", (code, signal) => {
    running.delete(handle);
    if (!stopping && !stoppingAll)
      console.error(`\n${name} exited early (${signal ?? code}). Last output:\n${tail.slice(-4_000)}`);
  });
  const handle: Child = {
    name,
    process: child,
    output: () => tail,
    alive: () => child.exitCode === null && child.signalCode === null,
    stop: () => {
      stopping = true;
      running.delete(handle);
      return stopChild(child);
    },
  };
  running.add(handle);
  return handle;
}

/** SIGTERM, then SIGKILL after 5 s; resolves once the process has exited. */
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

/** Stops every child startChild started and has not stopped yet. */
export async function stopAllChildren(): Promise<void> {
  stoppingAll = true;
  await Promise.all([...running].map((child) => child.stop()));
}

/** Polls `url` until it answers 2xx (or exactly `status`). */
export async function waitFor(url: string, what: string, timeoutMs = 60_000, status?: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(url, { signal: AbortSignal.timeout(2_000) }).then(
      (r) => (status === undefined ? r.ok : r.status === status),
      () => false,
    );
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`${what} did not answer at ${url} within ${timeoutMs / 1000} s`);
}

export async function assertPortFree(port: number, hint: string): Promise<void> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(new Error(`Port ${port} is in use (${error.code}). Stop that process or ${hint}.`)),
    );
    server.listen(port, "127.0.0.1", resolve);
  });
  await new Promise((resolve) => server.close(resolve));
}

/**
 * `npm run build` as for the image (next build, then the standalone server.js completed by postbuild, without the
 * portal's variables), unless a complete standalone build is there and `force` is false. `needs` lists files the
 * build must hold, relative to the repository root: an older build without them is rebuilt.
 */
export async function buildIfNeeded({
  force = false,
  needs = [],
}: {
  force?: boolean;
  needs?: string[];
} = {}) {
  const built = [".next/BUILD_ID", STANDALONE_SERVER, ...needs].every((file) =>
    existsSync(path.join(ROOT, file)),
  );
  if (built && !force) return;
  console.log("Building the portal (npm run build, without its configuration) …");
  const env: Record<string, string | undefined> = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
  for (const name of Object.keys(variables)) delete env[name];
  const child = spawn("npm", ["run", "build"], {
    cwd: ROOT,
    env: env as NodeJS.ProcessEnv,
    stdio: "inherit",
  });
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`npm run build exited with ${code}`);
}

/** Resident set size of a process in MB (Linux); NaN without a process id. */
export function rssMb(pid: number | undefined): number {
  if (!pid) return Number.NaN;
  const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]);
  return kb / 1024;
}

/** CPU time (user + system) the process has used so far, in ms (/proc/<pid>/stat, clock ticks of 10 ms). */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * The benchmark's child processes (stand-in, portal, peer): started with their output kept for an error message,
 * stopped one by one or all together (on exit, error and Ctrl-C), and the checks around them.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

export interface Child {
  name: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

const running = new Set<Child>();
let stoppingAll = false;

export function startChild(
  name: string,
  args: string[],
  env: Record<string, string | undefined>,
  cwd: string,
): Child {
  const child = spawn(process.execPath, args, {
    cwd,
    env: env as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let tail = "";
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-4_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  let stopping = false;
  child.once("exit", (code, signal) => {
    if (!stopping && !stoppingAll)
      console.error(`\n${name} exited early (${signal ?? code}). Last output:\n${tail}`);
  });
  const handle: Child = {
    name,
    child,
    stop: () => {
      stopping = true;
      running.delete(handle);
      return new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const force = setTimeout(() => child.kill("SIGKILL"), 5_000);
        child.once("exit", () => {
          clearTimeout(force);
          resolve();
        });
        child.kill("SIGTERM");
      });
    },
  };
  running.add(handle);
  return handle;
}

export async function stopAllChildren(): Promise<void> {
  stoppingAll = true;
  await Promise.all([...running].map((c) => c.stop()));
}

export async function assertPortFree(port: number): Promise<void> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          `Port ${port} is in use (${error.code}). Stop that process or set the BENCH_*_PORT variables.`,
        ),
      ),
    );
    server.listen(port, "127.0.0.1", resolve);
  });
  await new Promise((resolve) => server.close(resolve));
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

export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1]);
  return kb / 1024;
}

/** CPU time (user + system) the process has used so far, in ms (/proc/<pid>/stat, clock ticks of 10 ms). */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

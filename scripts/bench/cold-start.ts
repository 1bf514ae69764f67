/**
 * Cold start of the standalone server as the container image runs it (Dockerfile: `node --max-old-space-size=192
 * server.js` in the standalone folder, NODE_ENV=production, NEXT_TELEMETRY_DISABLED=1, PORT, HOSTNAME): from the
 * process's spawn to the first 200 from /api/health (what an orchestrator's probe waits for), then to the first 200
 * from `/` (the first page a user gets, rendered for the first time). Only the image's environment and the portal's
 * configuration are passed, not the benchmark's own (no tsx loader in NODE_OPTIONS).
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { HEAP_CAP_MB } from "../standalone-server";

export interface ColdStart {
  healthMs: number;
  rootMs: number;
  rootStatus: number;
}

async function firstAnswer(
  url: string,
  started: number,
  deadline: number,
): Promise<{ ms: number; status: number }> {
  while (performance.now() < deadline) {
    const status = await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(10_000) }).then(
      async (r) => {
        await r.arrayBuffer();
        return r.status;
      },
      () => 0,
    );
    if (status !== 0) return { ms: performance.now() - started, status };
    await sleep(10);
  }
  throw new Error(`no answer from ${url} within the deadline`);
}

export async function measureColdStart(options: {
  root: string;
  port: number;
  portalEnv: Record<string, string>;
}): Promise<ColdStart> {
  const { root, port, portalEnv } = options;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "/tmp",
    ...portalEnv,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    PORT: String(port),
    HOSTNAME: "127.0.0.1",
  };
  const started = performance.now();
  const child = spawn(process.execPath, [`--max-old-space-size=${HEAP_CAP_MB}`, "server.js"], {
    cwd: path.join(root, ".next/standalone"),
    env: env as NodeJS.ProcessEnv,
    stdio: "ignore",
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    const deadline = started + 60_000;
    const base = `http://127.0.0.1:${port}`;
    let health = await firstAnswer(`${base}/api/health`, started, deadline);
    while (health.status !== 200 && performance.now() < deadline) {
      await sleep(10);
      health = await firstAnswer(`${base}/api/health`, started, deadline);
    }
    const rootAnswer = await firstAnswer(`${base}/`, started, deadline);
    return { healthMs: health.ms, rootMs: rootAnswer.ms, rootStatus: rootAnswer.status };
  } finally {
    child.kill("SIGTERM");
    const force = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(force);
  }
}

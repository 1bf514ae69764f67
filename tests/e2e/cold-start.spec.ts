import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { expect, test } from "@playwright/test";
import { EMULATOR_PORT } from "../../playwright.config";
import { demoEnv } from "../../scripts/demo-env";
import { standaloneServerArgs, standaloneServerEnv } from "../../scripts/standalone-server";
import { freePort } from "../support/ports";
import { stopChild } from "../support/standalone-portal";

/**
 * What makes the standalone server start fast, checked on the build the suite runs (figures: `npm run bench`):
 * the compiled code made at build time (scripts/standalone.ts) is what a fresh process reads, and Next does not load
 * every route at start-up, ahead of the health probe and the first page.
 */

const ROOT = path.resolve(import.meta.dirname, "../..");

/** A fresh server.js with Node's diagnostics on (`trace`); resolves once /api/health answered 200. */
async function startTraced(
  trace: Record<string, string>,
): Promise<{ url: string; child: ChildProcess; log: () => string }> {
  const port = await freePort();
  const child = spawn(process.execPath, standaloneServerArgs, {
    cwd: ROOT,
    env: {
      ...process.env,
      ...demoEnv({ portalPort: port, emulatorPort: EMULATOR_PORT }),
      ...standaloneServerEnv(port),
      NEXT_TELEMETRY_DISABLED: "1",
      ...trace,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    log += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    log += chunk.toString();
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (
    !(await fetch(`${url}/api/health`).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`server.js did not start:\n${log}`);
    await sleep(50);
  }
  return { url, child, log: () => log };
}

const readsFromCache = (log: string) => log.match(/\[compile cache\] reading cache from .*success/g) ?? [];
const compiledAfresh = (log: string) =>
  (log.match(/\[compile cache\] reading cache from .* for \S+ (\S+)\.\.\. no such file/g) ?? []).map(
    (line) => / for \S+ (\S+)\.\.\./.exec(line)?.[1] ?? line,
  );

test("a fresh server reads Next.js and the portal from the build's compile cache", async () => {
  const server = await startTraced({ NODE_DEBUG_NATIVE: "COMPILE_CACHE" });
  try {
    expect((await fetch(`${server.url}/`)).status).toBe(200);
    const hits = readsFromCache(server.log());
    const misses = compiledAfresh(server.log()).filter((file) => file.includes(".next/standalone"));
    // Hundreds of modules (Next's server, React, the portal's chunks) come compiled; none of the server's own
    // modules on this path is compiled afresh.
    expect(hits.length).toBeGreaterThan(200);
    expect(misses).toEqual([]);
  } finally {
    await stopChild(server.child);
  }
});

test("start-up loads no page ahead of the health probe", async () => {
  // Node's module loader names every file it loads.
  const server = await startTraced({ NODE_DEBUG: "module" });
  try {
    // Time for a preload to show: Next's would load every route right after start.
    await sleep(1_500);
    const pagesLoaded = server.log().match(/server\/app\/[\w/-]*page\.js/g) ?? [];
    expect(pagesLoaded).toEqual([]);
    expect((await fetch(`${server.url}/troubleshoot`)).status).toBe(200);
    expect(server.log()).toMatch(/server\/app\/troubleshoot\/page\.js/);
  } finally {
    await stopChild(server.child);
  }
});

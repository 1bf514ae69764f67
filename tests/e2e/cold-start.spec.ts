import { setTimeout as sleep } from "node:timers/promises";
import { expect, test } from "@playwright/test";
import { EMULATOR_PORT } from "../../playwright.config";
import { demoEnv } from "../../scripts/demo-env";
import { freePort } from "../support/ports";
import { type StandalonePortal, startStandalonePortal } from "../support/standalone-portal";

/**
 * What makes the standalone server start fast, checked on the build the suite runs (figures: `npm run bench`):
 * the compiled code made at build time (scripts/standalone.ts) is what a fresh process reads, and Next does not load
 * every route at start-up, ahead of the health probe and the first page.
 */

/** A fresh server.js with Node's diagnostics on (`trace`), all of its output kept; once /api/health answered 200. */
async function startTraced(trace: Record<string, string>): Promise<StandalonePortal> {
  const port = await freePort();
  return startStandalonePortal(
    port,
    { ...demoEnv({ portalPort: port, emulatorPort: EMULATOR_PORT }), ...trace },
    { timeoutMs: 30_000, keep: 10_000_000 },
  );
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
    const hits = readsFromCache(server.output());
    const misses = compiledAfresh(server.output()).filter((file) => file.includes(".next/standalone"));
    // Hundreds of modules (Next's server, React, the portal's chunks) come compiled; none of the server's own
    // modules on this path is compiled afresh.
    expect(hits.length).toBeGreaterThan(200);
    expect(misses).toEqual([]);
  } finally {
    await server.stop();
  }
});

test("start-up loads no page ahead of the health probe", async () => {
  // Node's module loader names every file it loads.
  const server = await startTraced({ NODE_DEBUG: "module" });
  try {
    // Time for a preload to show: Next's would load every route right after start.
    await sleep(1_500);
    const pagesLoaded = server.output().match(/server\/app\/[\w/-]*page\.js/g) ?? [];
    expect(pagesLoaded).toEqual([]);
    expect((await fetch(`${server.url}/troubleshoot`)).status).toBe(200);
    expect(server.output()).toMatch(/server\/app\/troubleshoot\/page\.js/);
  } finally {
    await server.stop();
  }
});

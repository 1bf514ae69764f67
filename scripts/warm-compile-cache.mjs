/**
 * Gives a standalone folder V8's compiled code for its modules (Node's compile cache, which server.js turns on:
 * scripts/standalone.ts): starts `server.js` once on loopback with a throwaway configuration, opens each route, then
 * stops it; Node writes the cache as the process exits. Run as the user who will run the server: Node keeps one
 * cache per user id. postbuild runs it for `npm start` and the tests, the Dockerfile again as the image's `node` user.
 * The cache holds compiled code only; the throwaway configuration never reaches it.
 *
 *   node warm-compile-cache.mjs            (in the standalone folder)
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

const folder = path.resolve(process.argv[2] ?? import.meta.dirname);
const cache = path.join(folder, ".next/cache/node-compile");
const routes = [
  "/",
  "/token",
  "/consent",
  "/troubleshoot",
  "/developers",
  "/admin",
  "/api/ping",
  "/api/auth/csrf",
];

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const port = await freePort();
const origin = `http://localhost:${port}`;
rmSync(cache, { recursive: true, force: true });
const child = spawn(process.execPath, ["server.js"], {
  cwd: folder,
  stdio: ["ignore", "ignore", "pipe"],
  env: {
    PATH: process.env.PATH,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    PORT: String(port),
    HOSTNAME: "127.0.0.1",
    LOG_LEVEL: "silent",
    AUTH_URL: origin,
    AUTH_SECRET: randomBytes(33).toString("base64"),
    AUTH_MICROSOFT_ENTRA_ID_ID: "00000000-0000-0000-0000-000000000000",
    AUTH_MICROSOFT_ENTRA_ID_SECRET: randomBytes(24).toString("base64"),
    ACS_CONNECTION_STRING: `endpoint=https://warm-up.invalid/;accesskey=${randomBytes(32).toString("base64")}`,
  },
});
let stderr = "";
child.stderr.on("data", (chunk) => {
  stderr = (stderr + chunk.toString()).slice(-2_000);
});
const exited = new Promise((resolve) => child.once("exit", resolve));
try {
  const deadline = Date.now() + 60_000;
  while (
    !(await fetch(`${origin}/api/health`).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`the server did not start for the compile cache:\n${stderr}`);
    }
    await sleep(100);
  }
  for (const route of routes)
    await fetch(`${origin}${route}`, { redirect: "manual" }).then((r) => r.arrayBuffer());
  await fetch(`${origin}/api/teams-token`, { method: "POST" }).then((r) => r.arrayBuffer());
} finally {
  // Next's server exits on SIGTERM once idle; Node writes the cache then.
  child.kill("SIGTERM");
  await exited;
}
if (!existsSync(cache)) throw new Error("the compile cache was not written");

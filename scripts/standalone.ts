/**
 * After `next build` (postbuild): completes .next/standalone the way the container image does, by copying the
 * files Next.js leaves out of it (`.next/static`, and `public/` when there is one) next to server.js. So `npm start`,
 * the end-to-end tests and the image all run the same folder with the same command (scripts/standalone-server.ts).
 *
 * It compresses the static scripts and styles with brotli and hooks scripts/brotli-static.mjs into server.js, which
 * sends them to browsers that accept brotli (Next's server speaks gzip only).
 *
 * Then it gives the folder V8's compiled code for its own modules (Node's compile cache), made by starting the server
 * once and opening its routes: a cold start then skips compiling Next.js and the portal (measured: a third less CPU
 * to the first answer). The cache is "portable" (keyed by paths relative to the folder), so it survives the copy into
 * the image; it holds compiled code only, and the throwaway configuration of that one start never reaches it.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { brotliCompressSync, constants } from "node:zlib";

const root = path.resolve(import.meta.dirname, "..");
const standalone = path.join(root, ".next/standalone");
const serverJs = path.join(standalone, "server.js");
/** Inside .next/cache, the one folder of the image the runtime user may write (Dockerfile). */
const COMPILE_CACHE = ".next/cache/node-compile";

if (!existsSync(serverJs)) {
  console.error('.next/standalone/server.js is missing: next.config.ts must set output: "standalone".');
  process.exit(1);
}
for (const folder of [".next/static", "public"]) {
  const from = path.join(root, folder);
  const to = path.join(standalone, folder);
  rmSync(to, { recursive: true, force: true });
  if (existsSync(from)) cpSync(from, to, { recursive: true });
}

compressStaticFiles();
hookIntoServer();
await warmCompileCache();
console.log("Standalone server ready: node --max-old-space-size=192 .next/standalone/server.js");

/** `<file>.br` beside each script and style worth it, and their list for scripts/brotli-static.mjs. */
function compressStaticFiles(): void {
  const staticDir = path.join(standalone, ".next/static");
  const files: string[] = [];
  for (const entry of readdirSync(staticDir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/\.(js|css)$/.test(entry.name)) continue;
    const file = path.join(entry.parentPath, entry.name);
    const source = readFileSync(file);
    const compressed = brotliCompressSync(source, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: source.length,
      },
    });
    if (compressed.length >= source.length) continue;
    writeFileSync(`${file}.br`, compressed);
    files.push(`/_next/static/${path.relative(staticDir, file).split(path.sep).join("/")}`);
  }
  writeFileSync(path.join(standalone, ".next/static-brotli.json"), JSON.stringify({ files }));
  cpSync(path.join(root, "scripts/brotli-static.mjs"), path.join(standalone, "brotli-static.mjs"));
}

/**
 * server.js turns the compile cache on and starts brotli for static files itself, so every way of starting it
 * (image, npm start, tests, App Service) does both.
 */
function hookIntoServer(): void {
  const anchor = "const __dirname = fileURLToPath(new URL('.', import.meta.url))\n";
  const line =
    `try { module.enableCompileCache?.({ directory: path.join(__dirname, ${JSON.stringify(COMPILE_CACHE)}), portable: true }) } catch {}\n` +
    "serveBrotliStatic(__dirname)\n";
  const source = readFileSync(serverJs, "utf8");
  if (source.includes("serveBrotliStatic(__dirname)")) return;
  if (!source.includes(anchor)) {
    console.error(
      "server.js changed shape (Next.js upgrade?): cannot hook the compile cache and brotli in; see scripts/standalone.ts.",
    );
    process.exit(1);
  }
  const hooked = source.replace(anchor, `${anchor}${line}`);
  writeFileSync(serverJs, `import { serveBrotliStatic } from "./brotli-static.mjs"\n${hooked}`);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === "string") throw new Error("no free port");
  return address.port;
}

/** Starts the server once on loopback with a throwaway configuration, opens each route, then stops it. */
async function warmCompileCache(): Promise<void> {
  rmSync(path.join(standalone, COMPILE_CACHE), { recursive: true, force: true });
  const port = await freePort();
  const origin = `http://localhost:${port}`;
  const child = spawn(process.execPath, ["server.js"], {
    cwd: standalone,
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
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2_000);
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
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
    for (const route of routes)
      await fetch(`${origin}${route}`, { redirect: "manual" }).then((r) => r.arrayBuffer());
    await fetch(`${origin}/api/teams-token`, { method: "POST" }).then((r) => r.arrayBuffer());
  } finally {
    // Node writes the cache when the process exits; Next's server exits on SIGTERM once idle.
    child.kill("SIGTERM");
    await exited;
  }
  if (!existsSync(path.join(standalone, COMPILE_CACHE))) throw new Error("the compile cache was not written");
}

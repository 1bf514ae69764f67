/**
 * After `next build` (postbuild): completes .next/standalone the way the container image does, by copying the
 * files Next.js leaves out of it (`.next/static`, and `public/` when there is one) next to server.js. So `npm start`,
 * the end-to-end tests and the image all run the same folder with the same command (scripts/standalone-server.ts).
 *
 * It marks the framework's scripts for eager compilation, compresses the static scripts and styles with brotli and
 * hooks scripts/brotli-static.mjs into server.js, which sends them to browsers that accept brotli (Next's server
 * speaks gzip only).
 *
 * Then it gives the folder V8's compiled code for its modules (Node's compile cache, scripts/warm-compile-cache.mjs):
 * a cold start then skips compiling Next.js and the portal (measured: a third less CPU to the first answer). The
 * cache is "portable" (keyed by paths relative to the folder) but kept per user id, so the Dockerfile makes it again
 * as the image's runtime user.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { brotliCompressSync, constants } from "node:zlib";

const root = path.resolve(import.meta.dirname, "..");
const standalone = path.join(root, ".next/standalone");
const serverJs = path.join(standalone, "server.js");
/** Inside .next/cache, the one folder of the image the runtime user may write (Dockerfile). */
const COMPILE_CACHE = ".next/cache/node-compile";
const WARM_UP = "warm-compile-cache.mjs";
const EAGER_COMPILE_HINT = "//# allFunctionsCalledOnLoad";

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

hintEagerCompile();
compressStaticFiles();
hookIntoServer();
warmCompileCache();
console.log("Standalone server ready: node --max-old-space-size=192 .next/standalone/server.js");

/**
 * V8's explicit compile hint (Chromium 136+; other browsers read a comment): with `//# allFunctionsCalledOnLoad` first
 * in a script, V8 compiles all of its functions while the script streams in, on a background thread, instead of
 * one by one on the main thread as they are first called. The framework's scripts (the build's rootMainFiles: React
 * DOM, the App Router, the Turbopack runtime) run almost entirely at start-up, and compiling them lazily was most of
 * every page's one long task: 58-88 ms on this project's machine, 22-45 ms with the hint (docs/benchmark.md).
 * The page's own chunks are left lazy. The file names keep their hash: the change is the same for every build.
 */
function hintEagerCompile(): void {
  const manifest = JSON.parse(readFileSync(path.join(root, ".next/build-manifest.json"), "utf8")) as {
    rootMainFiles?: string[];
  };
  const files = manifest.rootMainFiles ?? [];
  if (files.length === 0) {
    console.error(
      ".next/build-manifest.json lists no rootMainFiles (Next.js upgrade?): see scripts/standalone.ts.",
    );
    process.exit(1);
  }
  for (const file of files) {
    const target = path.join(standalone, ".next", file);
    const source = readFileSync(target, "utf8");
    if (!source.startsWith(EAGER_COMPILE_HINT)) writeFileSync(target, `${EAGER_COMPILE_HINT}\n${source}`);
  }
}

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

/** The warm-up runs from the folder itself, so the Dockerfile can run it again as the runtime user. */
function warmCompileCache(): void {
  cpSync(path.join(root, "scripts", WARM_UP), path.join(standalone, WARM_UP));
  const run = spawnSync(process.execPath, [WARM_UP], { cwd: standalone, stdio: "inherit" });
  if (run.status !== 0) process.exit(run.status ?? 1);
}

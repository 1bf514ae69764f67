import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** The pages the demo opens once before it says it is ready (and the side-by-side e2e test checks). */
export const DEMO_PAGES = [
  "/",
  "/token",
  "/consent",
  "/admin",
  "/admin/service-principal",
  "/troubleshoot",
  "/developers",
  "/auth/error",
  "/consent/result",
];

/** What the production build is made of: a change to any of these makes the demo build again. */
const SOURCES = [
  "app",
  "components",
  "lib",
  "auth.ts",
  "proxy.ts",
  "instrumentation.ts",
  "next.config.ts",
  "postcss.config.mjs",
  "tsconfig.json",
  "tsconfig.app.json",
  "package-lock.json",
];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** True when `.next` holds a complete production build made after the last change to the sources. */
export function isBuildFresh(root = process.cwd()): boolean {
  const buildId = join(root, ".next", "BUILD_ID");
  // An older build without the standalone server (output: "standalone" came later) is not one to reuse.
  if (!existsSync(buildId) || !existsSync(join(root, ".next", "standalone", "server.js"))) return false;
  const built = statSync(buildId).mtimeMs;
  return SOURCES.every((source) => newestMtime(join(root, source)) <= built);
}

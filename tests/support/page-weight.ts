import { readFileSync } from "node:fs";
import path from "node:path";

/**
 * Issue 13's target for the portal's pages: at most this much script per page, compressed as sent. Next's own server
 * speaks gzip only, in which the framework's runtime alone (Next.js 16.4's App Router with React 19.3, the build's
 * `rootMainFiles`, loaded by every page) is about 130 KB; the standalone server sends the build's scripts in brotli
 * (scripts/brotli-static.mjs), where it is 110 KB. docs/benchmark.md has the split.
 */
export const SCRIPT_TARGET_KB = 120;

/**
 * What a page may load beyond the framework's runtime: its client components, error boundaries and the layout's
 * chunk (Next's client internals and the navigation). tests/e2e/page-weight.spec.ts enforces it.
 */
export const APP_SCRIPT_BUDGET_KB = 12;

/** The framework's runtime scripts of the build in .next (e.g. "/_next/static/chunks/0fub2jtmm8i-t.js"). */
export function frameworkScripts(root = path.resolve(import.meta.dirname, "../..")): Set<string> {
  const manifest = JSON.parse(readFileSync(path.join(root, ".next/build-manifest.json"), "utf8")) as {
    rootMainFiles?: string[];
  };
  return new Set((manifest.rootMainFiles ?? []).map((file) => `/_next/${file}`));
}

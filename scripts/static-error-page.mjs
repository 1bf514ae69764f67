/**
 * After `next build`: takes the scripts out of Next's built-in static 500 page.
 *
 * Next (16.4) always prerenders that page at build time (the `_global-error` route: no root layout, no route
 * config — next/dist/build/get-static-info-including-layouts.js), copies it to `pages/500.html`, and serves it for
 * errors that escape rendering and for a visit to /_global-error. No per-request nonce can reach prerendered HTML,
 * so under the portal's CSP ('nonce-…' 'strict-dynamic') the browser blocks every script on it. The page needs
 * none: it is a message and a Reload button that is a plain form. Without its scripts it works as it is, and the
 * CSP stays strict. (The portal's own app/global-error.tsx is rendered per request, with the nonce.)
 */
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

const NAMES = new Set(["500.html", "_global-error.html"]);

async function* staticErrorPages(dir) {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== "node_modules" && entry.name !== "cache")
      yield* staticErrorPages(full);
    else if (entry.isFile() && NAMES.has(entry.name)) yield full;
  }
}

export function withoutScripts(html) {
  return html
    .replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, "")
    .replace(/<link\b[^>]*\bas="script"[^>]*>/gi, "");
}

export async function stripStaticErrorPages(root) {
  let count = 0;
  for await (const file of staticErrorPages(root)) {
    const html = await readFile(file, "utf8");
    const stripped = withoutScripts(html);
    if (stripped !== html) {
      await writeFile(file, stripped);
      count++;
    }
  }
  return count;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const count = await stripStaticErrorPages(path.resolve(process.argv[2] ?? ".next"));
  console.log(`static error pages without scripts: ${count}`);
}

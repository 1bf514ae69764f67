/**
 * After `next build` (postbuild): completes .next/standalone the way the container image does, by copying the
 * files Next.js leaves out of it (`.next/static`, and `public/` when there is one) next to server.js. So `npm start`,
 * the end-to-end tests and the image all run the same folder with the same command (scripts/standalone-server.ts).
 */
import { cpSync, existsSync, rmSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const standalone = path.join(root, ".next/standalone");

if (!existsSync(path.join(standalone, "server.js"))) {
  console.error('.next/standalone/server.js is missing: next.config.ts must set output: "standalone".');
  process.exit(1);
}
for (const folder of [".next/static", "public"]) {
  const from = path.join(root, folder);
  const to = path.join(standalone, folder);
  rmSync(to, { recursive: true, force: true });
  if (existsSync(from)) cpSync(from, to, { recursive: true });
}
console.log("Standalone server ready: node --max-old-space-size=192 .next/standalone/server.js");

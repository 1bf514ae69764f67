/**
 * How the production server starts, exactly as in the container image: Next's standalone server.js, the V8 heap
 * capped like `npm start`, PORT and HOSTNAME from the environment. The end-to-end suite starts it this way.
 */
export const STANDALONE_SERVER = ".next/standalone/server.js";
export const HEAP_CAP_MB = 192;

/** Arguments for `node` (process.execPath), relative to the repository root. */
export const standaloneServerArgs = [`--max-old-space-size=${HEAP_CAP_MB}`, STANDALONE_SERVER];

/** The same as one shell command, for Playwright's webServer and package.json's `start`. */
export const standaloneServerCommand = `node ${standaloneServerArgs.join(" ")}`;

/** The environment the image sets: the port, and the address to listen on (loopback in tests). */
export function standaloneServerEnv(port: number, hostname = "127.0.0.1"): Record<string, string> {
  return { PORT: String(port), HOSTNAME: hostname, NODE_ENV: "production" };
}

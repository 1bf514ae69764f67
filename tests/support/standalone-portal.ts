import { setTimeout as sleep } from "node:timers/promises";
import { assertPortFree, type Child, startChild } from "../../scripts/processes";
import { standaloneServerArgs, standaloneServerEnv } from "../../scripts/standalone-server";

/**
 * The portal as the container image runs it: `node .next/standalone/server.js` (heap capped like `npm start`),
 * configured by PORT, HOSTNAME and the portal's variables only. Needs a production build (`npm run build`).
 */

export interface StandalonePortal extends Child {
  /** Where the server itself listens, e.g. http://127.0.0.1:4226. */
  url: string;
}

/** Starts server.js on `port` and resolves once /api/health answers 200. */
export async function startStandalonePortal(
  port: number,
  env: Record<string, string>,
  { timeoutMs = 60_000, keep = 20_000 }: { timeoutMs?: number; keep?: number } = {},
): Promise<StandalonePortal> {
  // A server left over on the port would answer the health check in this one's place.
  await assertPortFree(port, "choose another port");
  const portal: StandalonePortal = {
    ...startChild(
      "server.js",
      standaloneServerArgs,
      { NEXT_TELEMETRY_DISABLED: "1", ...env, ...standaloneServerEnv(port) },
      { keep },
    ),
    url: `http://127.0.0.1:${port}`,
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!portal.alive())
      throw new Error(`server.js exited with ${portal.process.exitCode}:\n${portal.output()}`);
    const ok = await fetch(`${portal.url}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return portal;
    if (Date.now() > deadline) {
      await portal.stop();
      throw new Error(`server.js on ${port} did not become healthy:\n${portal.output()}`);
    }
    await sleep(50);
  }
}

import { createServer } from "node:net";
import type { Child } from "../../scripts/processes";
import type { TestRedis } from "../integration/support/redis";

/** The production build and the stand-ins of the resilience suite (loopback only). */

export async function freePort(): Promise<number> {
  for (;;) {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    await new Promise((resolve) => server.close(resolve));
    if (!address || typeof address === "string") continue;
    // The stand-in also listens on port + 1 (https): keep both free.
    const next = createServer();
    const ok = await new Promise<boolean>((resolve) => {
      next.once("error", () => resolve(false));
      next.listen(address.port + 1, "127.0.0.1", () => resolve(true));
    });
    if (ok) await new Promise((resolve) => next.close(resolve));
    if (ok) return address.port;
  }
}

export interface Stack {
  portalUrl: string;
  emulatorUrl: string;
  portal: Child;
  readonly redis: TestRedis;
  restartRedis(): Promise<void>;
}

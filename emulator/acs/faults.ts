import type { IncomingMessage } from "node:http";
import type { Context } from "../context";
import { sleep } from "../http";
import { ACS_ERR, type AcsError } from "./errors";

/**
 * What an authenticated ACS call meets before its own work: the next injected fault (dropped connection, delay,
 * 429/500/503), then the resource's exchange rate limit. "dropped" means the socket is gone; null, carry on.
 */
export async function injectedAnswer(
  ctx: Context,
  req: IncomingMessage,
): Promise<AcsError | "dropped" | null> {
  const fault = ctx.state.takeFault();
  if (fault?.kind === "drop") {
    req.socket.destroy();
    return "dropped";
  }
  if (fault?.kind === "delay") await sleep(fault.delayMs ?? 1000);
  if (fault?.kind === "429") return ACS_ERR.throttled(fault.retryAfterSeconds ?? 1);
  if (fault?.kind === "500") return ACS_ERR.internal();
  if (fault?.kind === "503") return ACS_ERR.unavailable(fault.retryAfterSeconds);
  const wait = ctx.state.rateLimited();
  return wait === null ? null : ACS_ERR.throttled(wait);
}

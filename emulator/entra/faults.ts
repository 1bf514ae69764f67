import type { IncomingMessage, ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import type { Context } from "../context";
import type { FaultTarget } from "../state";
import { sendEntraJsonError } from "./errors";

/**
 * Applies the next queued fault for an Entra endpoint (POST /_emulator/faults with `target`). Returns true when the
 * fault answered (or dropped) the request; a delay only postpones the normal answer.
 */
export async function applyEntraFault(
  ctx: Context,
  req: IncomingMessage | undefined,
  res: ServerResponse,
  target: Exclude<FaultTarget, "acs">,
): Promise<boolean> {
  const fault = ctx.state.takeFault(target);
  if (!fault) return false;
  switch (fault.kind) {
    case "drop":
      (req?.socket ?? res.socket)?.destroy();
      return true;
    case "delay":
      await sleep(fault.delayMs ?? 1_000);
      return false;
    case "429":
      res.setHeader("Retry-After", String(fault.retryAfterSeconds ?? 1));
      sendEntraJsonError(res, 429, {
        error: "temporarily_unavailable",
        code: 50196,
        message: "The server is temporarily unavailable because of too many requests.",
      });
      return true;
    default:
      if (fault.retryAfterSeconds !== undefined)
        res.setHeader("Retry-After", String(fault.retryAfterSeconds));
      sendEntraJsonError(res, Number(fault.kind), {
        error: "temporarily_unavailable",
        code: 90033,
        message: "A transient error has occurred. Please try again.",
      });
      return true;
  }
}

import "server-only";
import { PortalError } from "@/lib/errors";
import type { TokenStore } from "@/lib/store/types";

export interface Rate {
  limit: number;
  windowSeconds: number;
}

/**
 * What is limited and why (README, "Limits"): the scarce things are upstream ACS exchanges and calls out to Entra;
 * abuse is stopped per client address and per user. A cached answer to a verified user costs nothing upstream and is
 * limited only per user.
 *
 * The counters are fixed windows in the TokenStore (memory, or Redis shared by every instance with this instance's
 * memory as insurance while Redis is away). We keep this ~20-line limiter rather than rate-limiter-flexible: the
 * store already owns the Redis connection, its outage fallback and its key prefix, and a fixed window is all these
 * limits need; the library would add a second Redis client and a second fallback path to keep consistent.
 */
export async function enforceRate(
  store: Pick<TokenStore, "consumeRate">,
  key: string,
  rate: Rate,
  detail: string,
): Promise<void> {
  const decision = await store.consumeRate(key, rate.limit, rate.windowSeconds);
  if (!decision.allowed) {
    throw new PortalError("RATE_LIMITED", { detail, retryAfterSeconds: decision.retryAfterSeconds });
  }
}

/** Called right before a request makes the portal call out: the per-client limit (RATE_LIMIT_CLIENT). */
export type OutboundGuard = () => Promise<void>;

export function outboundGuard(
  store: Pick<TokenStore, "consumeRate">,
  rate: Rate,
  clientAddress: string,
): OutboundGuard {
  return () =>
    enforceRate(
      store,
      `client-outbound:${clientAddress}`,
      rate,
      `At most ${rate.limit} requests every ${rate.windowSeconds} s from one client may make the portal ask Microsoft Entra ID.`,
    );
}

import "server-only";
import { getConfig, type PortalConfig } from "@/lib/config";
import { createMemoryStore } from "@/lib/store/memory";
import { createRedisStore } from "@/lib/store/redis";
import type { TokenStore } from "@/lib/store/types";

export type { RateDecision, StoreHealth, TokenStore } from "@/lib/store/types";

/** Redis when REDIS_URL is set, else memory. */
export function createStore(config: PortalConfig): TokenStore {
  const url = config.env.REDIS_URL;
  if (!url) return createMemoryStore();
  return createRedisStore({
    url,
    authSecret: config.env.AUTH_SECRET,
    // A little beyond the exchange deadline, so the lock outlives every live exchange.
    lockTtlMs: config.env.ACS_EXCHANGE_TIMEOUT_MS + 2_000,
  });
}

let shared: TokenStore | undefined;

/** The process-wide store, chosen once from the configuration. */
export function getStore(): TokenStore {
  shared ??= createStore(getConfig());
  return shared;
}

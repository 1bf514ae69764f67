import "server-only";
import { LRUCache } from "lru-cache";
import type { RateDecision, StoreHealth, TokenStore } from "@/lib/store/types";

export interface MemoryStoreOptions {
  /** Beyond this many entries (tokens, and separately rate windows) the least recently used are dropped. */
  maxEntries?: number;
  now?: () => number;
}

/** Coalesces concurrent calls per key inside this process. */
export function createFlights() {
  const flights = new Map<string, Promise<unknown>>();
  return function singleFlight<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const running = flights.get(key);
    if (running) return running as Promise<T>;
    const flight = Promise.resolve()
      .then(fn)
      .finally(() => flights.delete(key));
    flights.set(key, flight);
    return flight;
  };
}

export function createMemoryStore(options: MemoryStoreOptions = {}): TokenStore {
  const { maxEntries = 50_000, now = Date.now } = options;
  // Bounded and expiring; the least recently used goes first when full.
  const perf = { now };
  const ttlResolution = 0; // read the clock on every call: expiry is exact, and tests may move it
  const tokens = new LRUCache<string, { value: string; expiresAt: number }>({
    max: maxEntries,
    perf,
    ttlResolution,
  });
  const windows = new LRUCache<string, { count: number; resetAt: number }>({
    max: maxEntries,
    perf,
    ttlResolution,
  });
  const singleFlight = createFlights();
  const logs = new Map<string, string[]>();

  return {
    async getToken(key) {
      // lru-cache keeps an entry through the last millisecond of its TTL; a token is gone at its expiry.
      const entry = tokens.get(key);
      return entry && entry.expiresAt > now() ? entry.value : undefined;
    },
    async setToken(key, value, ttlSeconds) {
      const ttl = ttlSeconds * 1000;
      if (ttl > 0) tokens.set(key, { value, expiresAt: now() + ttl }, { ttl });
    },
    async deleteToken(key) {
      tokens.delete(key);
    },
    async appendLog(key, entry, maxEntries) {
      const log = [entry, ...(logs.get(key) ?? [])].slice(0, maxEntries);
      logs.set(key, log);
    },
    async readLog(key, limit) {
      return (logs.get(key) ?? []).slice(0, limit);
    },
    singleFlight,
    async consumeRate(key, limit, windowSeconds): Promise<RateDecision> {
      // A fixed window, as in Redis (see lib/limits for why this limiter is ours).
      let window = windows.get(key);
      if (!window || window.resetAt <= now()) {
        window = { count: 0, resetAt: now() + windowSeconds * 1000 };
        windows.set(key, window, { ttl: windowSeconds * 1000 });
      }
      window.count += 1;
      if (window.count <= limit) return { allowed: true, retryAfterSeconds: 0 };
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((window.resetAt - now()) / 1000)) };
    },
    async health(): Promise<StoreHealth> {
      return { kind: "memory", healthy: true };
    },
    async close() {},
  };
}

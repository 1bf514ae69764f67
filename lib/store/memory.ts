import "server-only";
import type { RateDecision, StoreHealth, TokenStore } from "@/lib/store/types";

export interface MemoryStoreOptions {
  /** Beyond this many entries (tokens, and separately rate windows) the oldest are dropped. */
  maxEntries?: number;
  now?: () => number;
}

interface Expiring<T> {
  value: T;
  expiresAt: number;
}

/** A Map with per-entry expiry and a size bound; insertion order makes the first key the oldest. */
class ExpiringMap<T> {
  private readonly entries = new Map<string, Expiring<T>>();

  constructor(
    private readonly maxEntries: number,
    private readonly now: () => number,
  ) {}

  get(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  expiresAt(key: string): number | undefined {
    return this.get(key) === undefined ? undefined : this.entries.get(key)?.expiresAt;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  set(key: string, value: T, ttlMs: number): void {
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) this.evict();
    this.entries.set(key, { value, expiresAt: this.now() + ttlMs });
  }

  private evict(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }
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
  const tokens = new ExpiringMap<string>(maxEntries, now);
  const windows = new ExpiringMap<{ count: number }>(maxEntries, now);
  const singleFlight = createFlights();
  const logs = new Map<string, string[]>();

  return {
    async getToken(key) {
      return tokens.get(key);
    },
    async setToken(key, value, ttlSeconds) {
      if (ttlSeconds > 0) tokens.set(key, value, ttlSeconds * 1000);
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
      let window = windows.get(key);
      if (!window) {
        window = { count: 0 };
        windows.set(key, window, windowSeconds * 1000);
      }
      window.count += 1;
      if (window.count <= limit) return { allowed: true, retryAfterSeconds: 0 };
      const resetAt = windows.expiresAt(key) ?? now();
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((resetAt - now()) / 1000)) };
    },
    async health(): Promise<StoreHealth> {
      return { kind: "memory", healthy: true };
    },
    async close() {},
  };
}

export interface RateDecision {
  allowed: boolean;
  /** 0 when allowed; otherwise whole seconds until the window resets (at least 1). */
  retryAfterSeconds: number;
}

export interface StoreHealth {
  kind: "memory" | "redis";
  healthy: boolean;
  detail?: string;
}

/** Cache, single-flight and rate limits: one process (memory) or shared by every instance (Redis). */
export interface TokenStore {
  getToken(key: string): Promise<string | undefined>;
  setToken(key: string, value: string, ttlSeconds: number): Promise<void>;
  /** Forgets a cached value (e.g. Teams Phone tokens whose assignment an admin removed). */
  deleteToken(key: string): Promise<void>;
  /** Appends to a bounded, newest-first log kept without expiry (an audit trail; never a token or secret). */
  appendLog(key: string, entry: string, maxEntries: number): Promise<void>;
  /** The newest `limit` entries of a log, newest first. */
  readLog(key: string, limit: number): Promise<string[]>;
  /**
   * Runs `fn` once per key at a time. Callers that wait get the same result in-process; across instances they run
   * `fn` after the holder finished, so `fn` must re-check the cache first.
   */
  singleFlight<T>(key: string, fn: () => Promise<T>): Promise<T>;
  consumeRate(key: string, limit: number, windowSeconds: number): Promise<RateDecision>;
  health(): Promise<StoreHealth>;
  close(): Promise<void>;
}

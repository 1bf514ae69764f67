import "server-only";
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "ioredis";
import { deriveCacheKey, openValue, sealValue } from "@/lib/store/crypto";
import { createFlights, createMemoryStore } from "@/lib/store/memory";
import type { RateDecision, StoreHealth, TokenStore } from "@/lib/store/types";

export interface RedisStoreOptions {
  url: string;
  authSecret: string;
  /** Longer than one exchange can take (its deadline), so a live holder never loses the lock. */
  lockTtlMs: number;
  /** How long a waiter waits for another instance's exchange before running its own. Default: lockTtlMs. */
  waitTimeoutMs?: number;
  pollIntervalMs?: number;
  prefix?: string;
  connectTimeoutMs?: number;
  commandTimeoutMs?: number;
  logger?: Pick<Console, "warn" | "info">;
}

// INCR + PEXPIRE atomically; repairs a counter left without expiry so a user can never be locked out for good.
const RATE_SCRIPT = `
local count = redis.call("INCR", KEYS[1])
if count == 1 then redis.call("PEXPIRE", KEYS[1], ARGV[1]) end
local ttl = redis.call("PTTL", KEYS[1])
if ttl < 0 then redis.call("PEXPIRE", KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {count, ttl}`;

// Only the holder may release: an expired lock re-taken by another instance must not be deleted.
const RELEASE_SCRIPT = `
if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) end
return 0`;

const reasonOf = (error: unknown): string =>
  (error as { code?: unknown })?.code
    ? String((error as { code: unknown }).code)
    : ((error as Error)?.name ?? "error");

/**
 * Shared cache, single-flight lock and rate limits. When Redis is unreachable every operation falls back to this
 * instance's memory, so requests keep succeeding (without sharing); one warning per outage says so.
 */
export function createRedisStore(options: RedisStoreOptions): TokenStore {
  const {
    url,
    lockTtlMs,
    waitTimeoutMs = lockTtlMs,
    pollIntervalMs = 20,
    prefix = "ttp:",
    connectTimeoutMs = 1_000,
    commandTimeoutMs = 500,
    logger = console,
  } = options;
  const cacheKey = deriveCacheKey(options.authSecret);
  const fallback = createMemoryStore();
  const localFlight = createFlights();
  const redis = new Redis(url, {
    connectTimeout: connectTimeoutMs,
    commandTimeout: commandTimeoutMs,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });

  let degraded = false;
  function markDown(error: unknown): void {
    if (degraded) return;
    degraded = true;
    logger.warn(
      `[store] Redis unreachable (${reasonOf(error)}): cache, single-flight and rate limits run in this instance's memory until it returns.`,
    );
  }
  redis.on("error", markDown);
  redis.on("ready", () => {
    if (!degraded) return;
    degraded = false;
    logger.info("[store] Redis reachable again: shared cache, single-flight and rate limits resumed.");
  });

  const firstConnect = new Promise<void>((resolve) => {
    redis.once("ready", () => resolve());
    redis.once("error", () => resolve());
    setTimeout(resolve, connectTimeoutMs).unref();
  });

  async function withRedis<T>(operation: () => Promise<T>, degradedOperation: () => Promise<T>): Promise<T> {
    await firstConnect;
    if (redis.status !== "ready") return degradedOperation();
    try {
      return await operation();
    } catch (error) {
      markDown(error);
      return degradedOperation();
    }
  }

  const keyOf = (key: string) => `${prefix}${key}`;

  async function acrossInstances<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const lockKey = keyOf(`lock:${key}`);
    const owner = randomUUID();
    const giveUpAt = Date.now() + waitTimeoutMs;
    for (;;) {
      const acquired = await withRedis(
        async () => (await redis.set(lockKey, owner, "PX", lockTtlMs, "NX")) === "OK",
        async () => true,
      );
      if (acquired) {
        try {
          return await fn();
        } finally {
          redis.eval(RELEASE_SCRIPT, 1, lockKey, owner).catch(() => undefined);
        }
      }
      // The holder vanished or hangs beyond the bound: better one extra exchange than a failed request.
      if (Date.now() >= giveUpAt) return fn();
      await sleep(pollIntervalMs);
    }
  }

  return {
    getToken: (key) =>
      withRedis(
        async () => {
          const sealed = await redis.get(keyOf(key));
          return sealed ? openValue(cacheKey, sealed, keyOf(key)) : undefined;
        },
        () => fallback.getToken(key),
      ),

    setToken: (key, value, ttlSeconds) =>
      withRedis(
        async () => {
          if (ttlSeconds <= 0) return;
          await redis.set(
            keyOf(key),
            sealValue(cacheKey, value, keyOf(key)),
            "PX",
            Math.round(ttlSeconds * 1000),
          );
        },
        () => fallback.setToken(key, value, ttlSeconds),
      ),

    deleteToken: (key) =>
      withRedis(
        async () => {
          await redis.del(keyOf(key));
          await fallback.deleteToken(key);
        },
        () => fallback.deleteToken(key),
      ),

    // Logs are plain JSON (no secret in them), shared by instances and kept across restarts.
    appendLog: (key, entry, maxEntries) =>
      withRedis(
        async () => {
          await redis
            .multi()
            .lpush(keyOf(`log:${key}`), entry)
            .ltrim(keyOf(`log:${key}`), 0, maxEntries - 1)
            .exec();
        },
        () => fallback.appendLog(key, entry, maxEntries),
      ),

    readLog: (key, limit) =>
      withRedis(
        () => redis.lrange(keyOf(`log:${key}`), 0, limit - 1),
        () => fallback.readLog(key, limit),
      ),

    // In-process coalescing first, so one instance's N callers take the Redis lock once.
    singleFlight: (key, fn) => localFlight(key, () => acrossInstances(key, fn)),

    consumeRate: (key, limit, windowSeconds) =>
      withRedis(
        async (): Promise<RateDecision> => {
          const [count, ttlMs] = (await redis.eval(
            RATE_SCRIPT,
            1,
            keyOf(`rate:${key}`),
            windowSeconds * 1000,
          )) as [number, number];
          if (count <= limit) return { allowed: true, retryAfterSeconds: 0 };
          return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(ttlMs / 1000)) };
        },
        () => fallback.consumeRate(key, limit, windowSeconds),
      ),

    async health(): Promise<StoreHealth> {
      const healthy = await withRedis(
        async () => (await redis.ping()) === "PONG",
        async () => false,
      );
      return healthy
        ? { kind: "redis", healthy: true }
        : {
            kind: "redis",
            healthy: false,
            detail:
              "Redis unreachable: degraded to this instance's memory (no shared cache, single-flight or rate limits).",
          };
    },

    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

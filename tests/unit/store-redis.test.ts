import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { TeamsTokenExchange } from "@/lib/acs/exchange";
import { createRedisStore, type RedisStoreOptions } from "@/lib/store/redis";
import type { TokenStore } from "@/lib/store/types";
import { createTeamsTokenService } from "@/lib/teams-token/service";
import { goodClaims, testConfig, unsignedToken } from "@/tests/integration/support/fixtures";
import { hasRedisServer, startRedis, type TestRedis } from "@/tests/integration/support/redis";

if (!hasRedisServer)
  console.warn(
    "SKIPPED Redis store tests: /usr/bin/redis-server is not installed (apt-get install redis-server).",
  );

const SECRET = "test-secret-that-is-long-enough-0123456789";
const quietLogger = () => ({ warn: vi.fn(), info: vi.fn() });

describe.skipIf(!hasRedisServer)("Redis store", () => {
  let redis: TestRedis;
  let raw: Redis;
  const stores: TokenStore[] = [];

  function store(options: Partial<RedisStoreOptions> = {}): TokenStore {
    const created = createRedisStore({
      url: redis.url,
      authSecret: SECRET,
      lockTtlMs: 5_000,
      logger: quietLogger(),
      ...options,
    });
    stores.push(created);
    return created;
  }

  beforeAll(async () => {
    redis = await startRedis();
    raw = new Redis(redis.url);
  });

  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    raw.disconnect();
    await redis.stop();
  });

  it("stores tokens encrypted, with the token's TTL", async () => {
    const s = store();
    const value = JSON.stringify({ token: "acs-secret-token-value", expiresOn: "2030-01-01T00:00:00.000Z" });
    await s.setToken("teams-token:v1:t:o:a", value, 120);
    const stored = await raw.get("ttp:teams-token:v1:t:o:a");
    expect(stored).toMatch(/^v1\.[A-Za-z0-9_-]+$/);
    expect(stored).not.toContain("acs-secret-token-value");
    expect(Buffer.from(stored?.slice(3) ?? "", "base64url").toString("latin1")).not.toContain("acs-secret");
    const ttl = await raw.pttl("ttp:teams-token:v1:t:o:a");
    expect(ttl).toBeGreaterThan(115_000);
    expect(ttl).toBeLessThanOrEqual(120_000);
    expect(await s.getToken("teams-token:v1:t:o:a")).toBe(value);
  });

  it("refuses to open a value under another key or with another AUTH_SECRET", async () => {
    const s = store();
    await s.setToken("user-a", "token-of-a", 60);
    await raw.set("ttp:user-b", (await raw.get("ttp:user-a")) ?? "");
    expect(await s.getToken("user-b")).toBeUndefined();
    expect(
      await store({ authSecret: "another-secret-that-is-long-enough-012345" }).getToken("user-a"),
    ).toBeUndefined();
  });

  it("shares single-flight across two instances: one call for 2 × 25 concurrent callers", async () => {
    const [a, b] = [store(), store()];
    let calls = 0;
    // As the service does: the flight re-checks the cache, so a waiter on the other instance finds the value.
    const flight = (s: TokenStore) => async () => {
      const cached = await s.getToken("shared-key");
      if (cached) return cached;
      calls += 1;
      await sleep(100);
      await s.setToken("shared-key", "exchanged", 60);
      return "exchanged";
    };
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => {
        const s = i % 2 === 0 ? a : b;
        return s.singleFlight("shared-key", flight(s));
      }),
    );
    expect(calls).toBe(1);
    expect(new Set(results)).toEqual(new Set(["exchanged"]));
  });

  it("lets a waiter run fn itself when the holder fails, and releases the lock", async () => {
    const [a, b] = [store(), store()];
    const ran: string[] = [];
    const holder = a.singleFlight("failing-key", async () => {
      ran.push("a");
      await sleep(50);
      throw new Error("exchange failed");
    });
    await sleep(10);
    const waiter = b.singleFlight("failing-key", async () => {
      ran.push("b");
      return "b-result";
    });
    await expect(holder).rejects.toThrow("exchange failed");
    expect(await waiter).toBe("b-result");
    expect(ran).toEqual(["a", "b"]);
    expect(await raw.exists("ttp:lock:failing-key")).toBe(0);
  });

  it("shares rate limits across instances", async () => {
    const [a, b] = [store(), store()];
    const decisions = [];
    for (let i = 0; i < 3; i++)
      decisions.push(await a.consumeRate("user:x", 5, 30), await b.consumeRate("user:x", 5, 30));
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, true, true, false]);
    expect(decisions[5]?.retryAfterSeconds).toBeGreaterThanOrEqual(29);
    expect(decisions[5]?.retryAfterSeconds).toBeLessThanOrEqual(30);
  });

  it("reports itself healthy", async () => {
    expect(await store().health()).toEqual({ kind: "redis", healthy: true });
  });

  it("two service instances on one Redis: 50 concurrent requests for a user → 1 exchange", async () => {
    let exchanges = 0;
    const exchange: TeamsTokenExchange = async () => {
      exchanges += 1;
      await sleep(80);
      return { token: "acs-token", expiresOn: new Date(Date.now() + 3_600_000) };
    };
    const config = testConfig({ RATE_LIMIT_USER: "100/60" });
    const services = [store(), store()].map((s) => createTeamsTokenService({ config, store: s, exchange }));
    const entraToken = unsignedToken(goodClaims({ oid: "00000000-0000-4000-8000-0000000000aa" }));
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => services[i % 2]?.getTeamsToken({ entraToken, via: "session" })),
    );
    expect(exchanges).toBe(1);
    expect(results.every((r) => r?.token === "acs-token")).toBe(true);
  });
});

describe.skipIf(!hasRedisServer)("Redis store when Redis goes away", () => {
  it("keeps every operation working, warns once per outage, reports degraded, recovers", async () => {
    let redis = await startRedis();
    const logger = quietLogger();
    const s = createRedisStore({ url: redis.url, authSecret: SECRET, lockTtlMs: 2_000, logger });
    try {
      await s.setToken("k", "before", 60);
      expect(await s.getToken("k")).toBe("before");

      await redis.stop();
      await sleep(100);

      await s.setToken("k", "during", 60);
      expect(await s.getToken("k")).toBe("during");
      let calls = 0;
      const results = await Promise.all(
        Array.from({ length: 10 }, () => s.singleFlight("f", async () => ++calls)),
      );
      expect(results).toEqual(Array(10).fill(1));
      expect(await s.consumeRate("u", 1, 60)).toEqual({ allowed: true, retryAfterSeconds: 0 });
      expect((await s.consumeRate("u", 1, 60)).allowed).toBe(false);
      expect(await s.health()).toMatchObject({
        kind: "redis",
        healthy: false,
        detail: expect.stringContaining("degraded"),
      });
      await sleep(500);
      expect(logger.warn).toHaveBeenCalledTimes(1);
      expect(String(logger.warn.mock.calls[0]?.[0])).not.toContain(SECRET);

      redis = await startRedis(redis.port);
      await vi.waitFor(async () => expect((await s.health()).healthy).toBe(true), {
        timeout: 5_000,
        interval: 100,
      });
      expect(logger.info).toHaveBeenCalledTimes(1);
    } finally {
      await s.close();
      await redis.stop();
    }
  }, 20_000);

  it("starts degraded, without failing, when Redis is down from the start", async () => {
    const logger = quietLogger();
    const s = createRedisStore({ url: "redis://127.0.0.1:9", authSecret: SECRET, lockTtlMs: 2_000, logger });
    try {
      await s.setToken("k", "v", 60);
      expect(await s.getToken("k")).toBe("v");
      expect(await s.singleFlight("f", async () => "ran")).toBe("ran");
      expect((await s.health()).healthy).toBe(false);
      expect(logger.warn).toHaveBeenCalledTimes(1);
    } finally {
      await s.close();
    }
  });
});

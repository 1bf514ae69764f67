import { setTimeout as sleep } from "node:timers/promises";
import { expect, test } from "@playwright/test";
import { Redis } from "ioredis";
import { demoEnv } from "../../scripts/demo-env";
import { hasRedisServer, startRedis, type TestRedis } from "../integration/support/redis";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import { freePort } from "../support/ports";
import { type StandalonePortal as Portal, startStandalonePortal } from "../support/standalone-portal";
import { mint, oidOf, requestTeamsToken, stats } from "./api-helpers";

/**
 * Scale-out: two standalone servers of the production build (as the image runs them) share one real redis-server
 * (cache, single-flight lock, rate limits); then Redis dies and both keep answering, degraded. Own stand-in, own
 * ports: independent of the portal Playwright starts. Needs the production build (the e2e run builds it first).
 */

const USER_LIMIT = 25;

let redis: TestRedis;
/** TestRedis.stop() waits for an exit that already happened when called twice: stop it once only. */
let redisStopped = false;
const stopRedis = () => {
  if (redisStopped || !redis) return Promise.resolve();
  redisStopped = true;
  return redis.stop();
};
let emu: TestEmulator;
let portals: [Portal, Portal];

async function startPortal(emulatorPort: number, redisUrl: string): Promise<Portal> {
  const port = await freePort();
  return startStandalonePortal(port, {
    ...demoEnv({ portalPort: port, emulatorPort }),
    REDIS_URL: redisUrl,
    RATE_LIMIT_USER: `${USER_LIMIT}/60`,
    RATE_LIMIT_TENANT: "100000/60",
  });
}

const health = async (portal: Portal) =>
  (await (await fetch(`${portal.url}/api/health`)).json()) as {
    status: string;
    store: { kind: string; healthy: boolean; detail?: string };
  };

test.describe.configure({ mode: "serial" });
test.skip(!hasRedisServer, "redis-server is not installed (apt-get install redis-server)");

test.beforeAll(async () => {
  test.setTimeout(120_000);
  [redis, emu] = await Promise.all([startRedis(), startTestEmulator({ httpsPort: false })]);
  const emulatorPort = Number(new URL(emu.url).port);
  portals = (await Promise.all([
    startPortal(emulatorPort, redis.url),
    startPortal(emulatorPort, redis.url),
  ])) as [Portal, Portal];
});

test.afterAll(async () => {
  await Promise.all([portals?.[0]?.stop(), portals?.[1]?.stop()]);
  await Promise.all([stopRedis(), emu?.close()]);
});

test("both instances use the shared Redis store", async () => {
  for (const portal of portals) {
    expect(await health(portal)).toMatchObject({ status: "ok", store: { kind: "redis", healthy: true } });
  }
});

test("one user's requests spread over both instances: exactly 1 exchange; the cached token is encrypted in Redis", async () => {
  const entraToken = await mint(emu.url);
  const oid = oidOf(entraToken);

  const answers = await Promise.all(
    Array.from({ length: 20 }, (_, i) => requestTeamsToken((portals[i % 2] as Portal).url, entraToken)),
  );

  expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
  const tokens = new Set(answers.map((a) => a.body.token));
  expect(tokens.size, "both instances served the one exchanged token").toBe(1);
  expect((await stats(emu.url)).exchanges.byUser[oid]).toBe(1);
  // Later requests, on either instance, come from the shared cache.
  for (const portal of portals) expect((await requestTeamsToken(portal.url, entraToken)).status).toBe(200);
  expect((await stats(emu.url)).exchanges.byUser[oid]).toBe(1);

  const client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
  try {
    const keys = await client.keys(`*teams-token*${oid}*`);
    expect(keys.length).toBeGreaterThanOrEqual(1);
    for (const key of keys) {
      const stored = (await client.get(key)) ?? "";
      const ttl = await client.pttl(key);
      expect(stored).not.toContain(String([...tokens][0]));
      expect(stored).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
      // Expires with the token (minus the cache margin), never kept forever.
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(3_600_000);
    }
  } finally {
    client.disconnect();
  }
});

test("one user's forced renewals on both instances at once: 1 exchange; a later renewal: 1 more", async () => {
  const entraToken = await mint(emu.url);
  const oid = oidOf(entraToken);
  expect((await requestTeamsToken(portals[0].url, entraToken)).status).toBe(200);
  expect((await stats(emu.url)).exchanges.byUser[oid]).toBe(1);

  // The renewal's exchange takes 2 s, so the other instance's requests surely arrive while it runs.
  await fetch(`${emu.url}/_emulator/faults`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ kind: "delay", delayMs: 2_000, count: 1 }),
  });
  const renewals = await Promise.all(
    Array.from({ length: 10 }, (_, i) =>
      requestTeamsToken((portals[i % 2] as Portal).url, entraToken, { forceRefresh: true }),
    ),
  );
  expect(renewals.map((a) => a.status)).toEqual(renewals.map(() => 200));
  expect(new Set(renewals.map((a) => a.body.token)).size).toBe(1);
  expect((await stats(emu.url)).exchanges.byUser[oid]).toBe(2);

  await sleep(10);
  expect((await requestTeamsToken(portals[1].url, entraToken, { forceRefresh: true })).status).toBe(200);
  expect((await stats(emu.url)).exchanges.byUser[oid]).toBe(3);
});

test("the per-user rate limit is shared: its limit counts requests on both instances together", async () => {
  const entraToken = await mint(emu.url);
  const statuses: number[] = [];
  let retryAfter: string | null = null;
  for (let i = 0; i < USER_LIMIT + 6; i++) {
    const answer = await requestTeamsToken((portals[i % 2] as Portal).url, entraToken);
    statuses.push(answer.status);
    if (answer.status === 429) {
      expect(answer.body.code).toBe("RATE_LIMITED");
      retryAfter = answer.headers.get("retry-after");
    }
  }
  expect(statuses.filter((s) => s === 200)).toHaveLength(USER_LIMIT);
  expect(statuses.slice(USER_LIMIT)).toEqual(Array.from({ length: 6 }, () => 429));
  expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  expect(Number(retryAfter)).toBeLessThanOrEqual(60);
});

test("Redis stopped mid-run: requests still succeed, health and logs say degraded", async () => {
  const cachedUser = await mint(emu.url);
  expect((await requestTeamsToken(portals[0].url, cachedUser)).status).toBe(200);

  await stopRedis();

  // Requests go on while Redis is gone, on both instances: a user cached in Redis and a new user.
  const newUser = await mint(emu.url);
  for (const portal of portals) {
    for (const token of [cachedUser, newUser]) {
      const answer = await requestTeamsToken(portal.url, token);
      expect(answer.status, `${portal.url} without Redis`).toBe(200);
      expect(answer.body.teamsUserId).toBe(`8:orgid:${oidOf(token)}`);
    }
  }
  for (const portal of portals) {
    await expect.poll(async () => (await health(portal)).status, { timeout: 10_000 }).toBe("degraded");
    expect((await health(portal)).store).toMatchObject({ kind: "redis", healthy: false });
    await expect.poll(() => portal.output(), { timeout: 5_000 }).toContain("[store] Redis unreachable");
  }
  // Degraded means no sharing, not no cache: each instance exchanged the new user at most once.
  expect((await stats(emu.url)).exchanges.byUser[oidOf(newUser)]).toBeLessThanOrEqual(2);
});
